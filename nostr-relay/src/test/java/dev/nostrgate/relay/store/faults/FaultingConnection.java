package dev.nostrgate.relay.store.faults;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;

/**
 * A pgjdbc connection whose statement executions, {@code COPY ... FROM STDIN} and commits fail as its
 * {@link FaultSchedule} says, while its {@link InjectedFaults} are armed. Everything else goes to the real
 * connection unchanged; {@code unwrap(PGConnection.class)} gives a PGConnection whose copy API is faulted too.
 */
final class FaultingConnection implements InvocationHandler {
    /** An operation of the code under test, run on the real connection. */
    interface Operation<T> {
        T run() throws SQLException, IOException;
    }

    private final Connection real;
    private final FaultSchedule schedule;
    private final InjectedFaults faults;
    private Connection proxy;

    private FaultingConnection(Connection real, FaultSchedule schedule, InjectedFaults faults) {
        this.real = real;
        this.schedule = schedule;
        this.faults = faults;
    }

    static Connection wrap(Connection real, FaultSettings settings) {
        InjectedFaults faults = InjectedFaults.named(settings.name());
        FaultingConnection handler =
                new FaultingConnection(real, new FaultSchedule(settings, faults.nextConnectionNumber()), faults);
        handler.proxy = (Connection) Proxy.newProxyInstance(FaultingConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        return handler.proxy;
    }

    /** A statement of the code under test is about to run. */
    void executed(String sql) {
        faults.executed(sql);
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "createStatement", "prepareStatement", "prepareCall" -> FaultingStatement.wrap(
                    (Statement) invokeOn(real, method, args), method.getReturnType(),
                    args != null && args.length > 0 && args[0] instanceof String sql ? Optional.of(sql)
                            : Optional.empty(),
                    this);
            case "commit" -> faulted(!real.getAutoCommit(), () -> {
                real.commit();
                return null;
            });
            case "unwrap" -> args[0] == PGConnection.class ? pgConnection() : invokeOn(real, method, args);
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            case "toString" -> "faults " + faults.name() + " over " + real;
            default -> invokeOn(real, method, args);
        };
    }

    /** The connection the code under test holds (what {@code Statement.getConnection()} answers). */
    Connection proxy() {
        return proxy;
    }

    /** Whether an execution of this connection's statements would commit: autocommit. */
    boolean commitsEachStatement() throws SQLException {
        return real.getAutoCommit();
    }

    /**
     * Runs one operation, failing it before or after as the schedule says while armed.
     *
     * @param decidesCommit the operation commits when it succeeds (the only place a 40003 is drawn)
     */
    <T> T faulted(boolean decidesCommit, Operation<T> operation) throws SQLException, IOException {
        if (!faults.armed()) {
            return operation.run();
        }
        Optional<Fault> drawn = schedule.next(decidesCommit);
        if (drawn.isEmpty()) {
            return operation.run();
        }
        Fault fault = drawn.get();
        faults.count(fault);
        if (!fault.afterOperation()) {
            throw fault.raiseOnServer(real, faults.name());
        }
        T result = operation.run();
        if (result instanceof AutoCloseable unread) {   // a ResultSet nobody will get
            try {
                unread.close();
            } catch (Exception e) {
                throw new SQLException("closing the result of a faulted query: " + e.getMessage(), e);
            }
        }
        throw fault.thrownByClient(faults.name());
    }

    /** The real PGConnection, but with a copy API whose {@code copyIn} runs through {@link #faulted}. */
    private PGConnection pgConnection() throws SQLException {
        PGConnection realPg = real.unwrap(PGConnection.class);
        FaultingCopyManager copy = new FaultingCopyManager(real.unwrap(BaseConnection.class), this);
        return (PGConnection) Proxy.newProxyInstance(FaultingConnection.class.getClassLoader(),
                new Class<?>[] {PGConnection.class},
                (self, method, args) -> method.getName().equals("getCopyAPI") ? copy
                        : invokeOn(realPg, method, args));
    }

    /** Calls {@code method} on {@code target}, throwing what it throws (not the reflection wrapper). */
    static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
