package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "08006, TRANSIENT", "08001, TRANSIENT", "40001, TRANSIENT", "40P01, TRANSIENT", "55P03, TRANSIENT",
            "57P01, TRANSIENT", "57P03, TRANSIENT", "53300, TRANSIENT", "53200, TRANSIENT", "58030, TRANSIENT",
            "40003, AMBIGUOUS",
            "22021, PERMANENT", "22P02, PERMANENT", "23505, PERMANENT", "23514, PERMANENT", "42P01, PERMANENT",
            "42501, PERMANENT", "0A000, PERMANENT", "57014, PERMANENT", "XX000, PERMANENT", "40002, PERMANENT"})
    void classifiesBySqlState(String state, FailureClass expected) {
        assertThat(FailureClass.ofSqlState(state)).isEqualTo(expected);
        assertThat(FailureClass.of(new SQLException("failed", state))).isEqualTo(expected);
    }

    @Test
    void readsTheFirstSqlStateAlongTheCauses() {
        RuntimeException wrapped = new StoreUnavailableException("writing failed",
                new SQLException("batch failed", "40001", new SQLException("inner", "22021")), false);
        assertThat(FailureClass.of(wrapped)).isEqualTo(FailureClass.TRANSIENT);
        assertThat(FailureClass.sqlState(wrapped)).contains("40001");
    }

    @Test
    void withoutASqlStateAnIoErrorOrATimeoutIsTransientAndAnythingElsePermanent() {
        assertThat(FailureClass.of(new RuntimeException("broker", new ConnectException("refused"))))
                .isEqualTo(FailureClass.TRANSIENT);
        assertThat(FailureClass.of(new SQLException("copy failed", (String) null, new IOException("reset"))))
                .isEqualTo(FailureClass.TRANSIENT);
        assertThat(FailureClass.of(new SQLTransientConnectionException("pool: request timed out")))
                .isEqualTo(FailureClass.TRANSIENT);
        assertThat(FailureClass.of(new IllegalStateException("a bug"))).isEqualTo(FailureClass.PERMANENT);
        assertThat(FailureClass.of(new SQLException("no state"))).isEqualTo(FailureClass.PERMANENT);
    }
}
