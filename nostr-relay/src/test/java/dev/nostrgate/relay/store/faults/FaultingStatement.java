package dev.nostrgate.relay.store.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A statement (plain, prepared or callable) whose executions go through {@link FaultingConnection#faulted}.
 * {@code SET} and {@code SHOW} are never faulted: they are session set-up (the pool's init SQL), not the work
 * under test, and CockroachDB does not fail them with 40001 either.
 */
final class FaultingStatement implements InvocationHandler {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final Statement real;
    private final Optional<String> preparedSql;
    private final FaultingConnection connection;

    private FaultingStatement(Statement real, Optional<String> preparedSql, FaultingConnection connection) {
        this.real = real;
        this.preparedSql = preparedSql;
        this.connection = connection;
    }

    /** {@code real} as a {@code type} (Statement, PreparedStatement or CallableStatement) with faults. */
    static Statement wrap(Statement real, Class<?> type, Optional<String> preparedSql,
                          FaultingConnection connection) {
        return (Statement) Proxy.newProxyInstance(FaultingStatement.class.getClassLoader(), new Class<?>[] {type},
                new FaultingStatement(real, preparedSql, connection));
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (EXECUTIONS.contains(name)) {
            Optional<String> sql = args != null && args.length > 0 && args[0] instanceof String given
                    ? Optional.of(given) : preparedSql;
            if (sql.map(FaultingStatement::isSessionSetUp).orElse(false)) {
                return FaultingConnection.invokeOn(real, method, args);
            }
            sql.ifPresent(connection::executed);
            return connection.faulted(connection.commitsEachStatement(), () -> {
                try {
                    return FaultingConnection.invokeOn(real, method, args);
                } catch (SQLException | RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new SQLException(name + " failed: " + e.getMessage(), e);
                }
            });
        }
        return switch (name) {
            case "getConnection" -> connection.proxy();
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            case "toString" -> real.toString();
            default -> FaultingConnection.invokeOn(real, method, args);
        };
    }

    private static boolean isSessionSetUp(String sql) {
        String start = sql.stripLeading().toUpperCase(Locale.ROOT);
        return start.startsWith("SET ") || start.startsWith("SHOW ");
    }
}
