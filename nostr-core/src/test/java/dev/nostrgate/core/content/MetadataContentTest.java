package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class MetadataContentTest {

    @Test
    void isAKindZeroEventWhoseContentIsTheJsonOfTheFieldsThatAreSet() {
        Event event = signAndCheck(Metadata.builder().name("bob").about("I build relays").build());

        assertThat(event.kind()).isEqualTo(0);
        assertThat(event.tags()).isEmpty();
        assertThat(event.content()).isEqualTo("{\"name\":\"bob\",\"about\":\"I build relays\"}");
    }

    @Test
    void writesEveryFieldUnderItsNip01OrNip24Name() {
        Metadata metadata = Metadata.builder().name("bob").displayName("Bob the Builder").about("about")
                .picture("https://example.com/bob.png").banner("https://example.com/banner.jpg")
                .website("https://bob.example.com").nip05("bob@example.com").lud16("bob@wallet.example.com")
                .build();

        JsonNode profile = SharedData.tree(signAndCheck(metadata).content());

        assertThat(fieldNames(profile)).containsExactly("name", "display_name", "about", "picture", "banner",
                "website", "nip05", "lud16");
        assertThat(profile.get("display_name").asText()).isEqualTo("Bob the Builder");
        assertThat(profile.get("lud16").asText()).isEqualTo("bob@wallet.example.com");
    }

    @Test
    void escapesTheJsonSoThatAnyTextReadsBackTheSame() {
        String about = "quotes \" backslash \\ newline \n tab \t bell \u0007 emoji 🤙 accents é";
        Metadata metadata = Metadata.builder().name("a\"b").about(about).build();

        JsonNode profile = SharedData.tree(signAndCheck(metadata).content());

        assertThat(profile.get("name").asText()).isEqualTo("a\"b");
        assertThat(profile.get("about").asText()).isEqualTo(about);
        assertThat(metadata.content()).contains("\\u0007").contains("🤙");
    }

    @Test
    void writesAnEmptyObjectWhenNothingIsSet() {
        assertThat(Metadata.builder().build().content()).isEqualTo("{}");
    }

    @Test
    void keepsExtraTags() {
        Event event = signAndCheck(Metadata.builder().name("bob").tag(Tag.of("alt", "profile")).build());
        assertThat(event.tags()).containsExactly(Tag.of("alt", "profile"));
    }

    @Test
    void rejectsBlankValuesNamingTheField() {
        assertThatThrownBy(() -> Metadata.builder().name(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name must not be blank");
        assertThatThrownBy(() -> Metadata.builder().displayName("").build())
                .hasMessageStartingWith("display_name must not be blank");
    }

    @Test
    void rejectsIdentifiersAndUrlsOfTheWrongShape() {
        for (Map.Entry<String, Runnable> bad : Map.<String, Runnable>of(
                "nip05", () -> Metadata.builder().nip05("bob").build(),
                "lud16", () -> Metadata.builder().lud16("bob@@wallet.com").build(),
                "picture", () -> Metadata.builder().picture("bob.png").build(),
                "banner", () -> Metadata.builder().banner("https://exa mple.com/x.png").build(),
                "website", () -> Metadata.builder().website("example.com").build()).entrySet()) {
            assertThatThrownBy(bad.getValue()::run).as(bad.getKey())
                    .hasMessageStartingWith(bad.getKey() + " must be");
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        Iterator<String> names = object.fieldNames();
        Stream<String> stream = StreamSupport.stream(((Iterable<String>) () -> names).spliterator(), false);
        return stream.toList();
    }
}
