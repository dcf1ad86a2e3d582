package dev.nostrgate.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayApiTest {

    @Test
    void theListIsCountedByConnectorState() throws Exception {
        String list = """
                {"relays":[
                  {"id":"8d3c0a8e-0000-4000-8000-000000000001","url":"ws://127.0.0.1:1/r/0","name":"fleet-0",
                   "filters":[{"#state":["x"]}],"paused":false,"state":"backoff","lastError":"refused",
                   "cursor":null,"queueDepth":0,"owner":"a","counters":{"received":0,"stored":0,"duplicates":0,
                   "invalid":0,"bytes":0},"createdAt":"2026-12-06T02:00:00Z"},
                  {"id":"8d3c0a8e-0000-4000-8000-000000000002","url":"ws://127.0.0.1:1/r/1","name":"fleet-1",
                   "filters":[{}],"paused":false,"state":"live","lastError":null,"cursor":1,"queueDepth":null,
                   "owner":"a","counters":{"received":1,"stored":1,"duplicates":0,"invalid":0,"bytes":300},
                   "createdAt":"2026-12-06T02:00:00Z"},
                  {"id":"8d3c0a8e-0000-4000-8000-000000000003","url":"ws://127.0.0.1:1/r/2","name":"fleet-2",
                   "filters":[{}],"paused":false,"state":"live","lastError":null,"cursor":null,"queueDepth":3,
                   "owner":"a","counters":{"received":0,"stored":0,"duplicates":0,"invalid":0,"bytes":0},
                   "createdAt":"2026-12-06T02:00:00Z"}]}
                """;
        assertThat(GatewayApi.statesOf(list)).containsExactlyInAnyOrderEntriesOf(Map.of("live", 2, "backoff", 1));
    }
}
