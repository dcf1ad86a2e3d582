package dev.nostrgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks an answer is an RFC 9457 problem of the expected status whose detail says what to fix. */
final class ProblemAssert {
    private ProblemAssert() {
    }

    static JsonNode problem(ApiClient.Reply reply, int status, String detailContains) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.toString()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).as(reply.toString()).isNotBlank();
        assertThat(problem.get("detail").asText()).as(reply.toString()).contains(detailContains);
        return problem;
    }
}
