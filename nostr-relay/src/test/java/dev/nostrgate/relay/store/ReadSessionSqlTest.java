package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadSessionSqlTest {

    @Test
    void givesPostgresqlQueryConnectionsTheTimeBudgetOnly() {
        assertThat(Database.readSessionSql(Database.Vendor.POSTGRESQL, Duration.ofSeconds(3)))
                .isEqualTo("SET statement_timeout = 3000");
    }

    @Test
    void letsCockroachPlanNewestFirstQueriesAsMergedScansOfTheHashShardedIndexes() {
        assertThat(Database.readSessionSql(Database.Vendor.COCKROACHDB, Duration.ofSeconds(3)).split("; "))
                .containsExactly("SET statement_timeout = 3000", "SET plan_cache_mode = force_custom_plan",
                        "SET opt_split_scan_limit = 2048");
    }
}
