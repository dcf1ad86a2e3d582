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

    @Test
    void theInstanceListsSummaryIsReadWhereTheGatewayHasOne() throws Exception {
        String instances = """
                {"self":"gw-a","instances":[{"id":"gw-a","startedAt":"2026-12-06T02:00:00Z",
                 "expiresAt":"2026-12-06T02:00:10Z","relays":3,"self":true}],"unownedRelays":0,
                 "relayStates":{"backoff":1,"live":2}}
                """;
        assertThat(GatewayApi.relayStatesOf(instances)).contains(Map.of("live", 2, "backoff", 1));
        assertThat(GatewayApi.relayStatesOf("""
                {"self":"gw-a","instances":[],"unownedRelays":0}
                """)).isEmpty();
    }

    @Test
    void serverLatencyAddsTheStatusesOfOneRouteAndFindsTheP99Bucket() {
        String metrics = """
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/relays/{id}",le="0.05"} 90
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/relays/{id}",le="0.1"} 98
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/relays/{id}",le="0.15"} 99
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/relays/{id}",le="+Inf"} 99
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="CLIENT_ERROR",status="404",uri="/api/relays/{id}",le="0.05"} 1
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="CLIENT_ERROR",status="404",uri="/api/relays/{id}",le="0.1"} 1
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="CLIENT_ERROR",status="404",uri="/api/relays/{id}",le="0.15"} 1
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="CLIENT_ERROR",status="404",uri="/api/relays/{id}",le="+Inf"} 1
                http_server_requests_seconds_bucket{error="none",exception="none",method="DELETE",outcome="SUCCESS",status="204",uri="/api/relays/{id}",le="+Inf"} 7
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/api/relays",le="+Inf"} 5
                """;

        var buckets = GatewayApi.serverLatencyBuckets(metrics, "GET", "/api/relays/{id}");

        assertThat(buckets).containsExactly(Map.entry(0.05, 91L), Map.entry(0.1, 99L), Map.entry(0.15, 100L),
                Map.entry(Double.POSITIVE_INFINITY, 100L));
        assertThat(FleetBenchmark.serverLatency(buckets)).startsWith("99.0 % at or under 100 ms, p99 <= 100 ms");
    }
}
