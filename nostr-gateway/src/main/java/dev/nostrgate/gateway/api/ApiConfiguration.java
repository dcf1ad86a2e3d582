package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.GatewayState;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.MediaType;
import java.util.List;
import java.util.Map;
import org.apache.catalina.filters.FailedRequestFilter;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The REST API's pieces that are not controllers: the status header and the OpenAPI document's title. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    FilterRegistrationBean<GatewayStatusHeader> gatewayStatusHeader(GatewayState state) {
        FilterRegistrationBean<GatewayStatusHeader> registration =
                new FilterRegistrationBean<>(new GatewayStatusHeader(state));
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit() {
        FilterRegistrationBean<BodySizeLimit> registration = new FilterRegistrationBean<>(new BodySizeLimit());
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * Query parameters the container cannot decode ({@code kinds=%zz}) are dropped by Tomcat, silently: a filter
     * would then mean more than was asked. Tomcat's own filter answers 400 instead (as a problem, through
     * {@link ProblemErrorController}).
     */
    @Bean
    FilterRegistrationBean<FailedRequestFilter> undecodableParameters() {
        FilterRegistrationBean<FailedRequestFilter> registration =
                new FilterRegistrationBean<>(new FailedRequestFilter());
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * The API's JSON is read strictly: a number or a boolean where a string is expected ({@code "url": 5}), or a
     * string where a boolean is ({@code "paused": "yes"}), is refused instead of converted. (Unknown fields and keys
     * given twice are refused through spring.jackson.* in application.properties.)
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictScalars() {
        return builder -> builder.postConfigurer(mapper -> {
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        });
    }

    /**
     * Every 4xx and 5xx response of the document is a problem ({@code application/problem+json}), as
     * {@link ApiErrors} writes it.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            Schema<?> problem = new ObjectSchema().description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().example("about:blank"))
                    .addProperty("title", new StringSchema().description("the HTTP status phrase")
                            .example("Bad Request"))
                    .addProperty("status", new IntegerSchema().example(400))
                    .addProperty("detail", new StringSchema().description("what is wrong and how to fix it")
                            .example("url must use the ws or wss scheme, was \"https\": such as "
                                    + "wss://relay.example.com"))
                    .addProperty("instance", new StringSchema().example("/api/relays"))
                    .addProperty("field", new StringSchema().description("the part of the request at fault, when "
                            + "there is one").example("url"))
                    .addProperty("existingId", new UUIDSchema().description("409 only: the relay registered "
                            + "with this URL already"));
            openApi.getComponents().addSchemas("Problem", problem);
            // a relay's filters are written as the stored JSON (a String with @JsonRawValue): say what it is
            Schema<?> relay = openApi.getComponents().getSchemas().get("Relay");
            if (relay != null && relay.getProperties() != null) {
                relay.getProperties().put("filters", new ArraySchema().items(new ObjectSchema())
                        .description("the NIP-01 filters sent upstream").example(List.of(Map.of("kinds", List.of(1)))));
            }
            Content content = new Content().addMediaType(MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new io.swagger.v3.oas.models.media.MediaType()
                            .schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    operation.getResponses().forEach((code, response) -> {
                        if (code.startsWith("4") || code.startsWith("5")) {
                            response.setContent(content);
                        }
                    })));
        };
    }

    /** Served at {@code /api/openapi} (springdoc, {@code springdoc.api-docs.path}). */
    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI().info(new Info()
                .title("nostr-gateway admin and query API")
                .version("v1")
                .description("Register remote Nostr relays to aggregate (one RabbitMQ exchange, queue and consumer "
                        + "per relay), watch their state and statistics, and query the aggregated events. Errors "
                        + "are RFC 9457 problem details (application/problem+json). Every /api response carries "
                        + "X-Gateway-Status: starting | catching-up | ready.")
                .license(new License().name("see LICENSE")));
    }
}
