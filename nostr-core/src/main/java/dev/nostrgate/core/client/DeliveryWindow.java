package dev.nostrgate.core.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's backpressure: how many received messages may wait for the listeners ({@code maxUndelivered}).
 * A message takes a place before it is handed over and gives it back when its callbacks have run. A socket that
 * finds no place stops reading and asks to be told when a place is free ({@link #whenRoom}).
 */
final class DeliveryWindow {
    private final int size;
    private final AtomicInteger taken = new AtomicInteger();
    private volatile Runnable onRoom;

    DeliveryWindow(int size) {
        this.size = size;
    }

    /** Takes a place; false if every place is taken. */
    boolean tryTake() {
        int now;
        do {
            now = taken.get();
            if (now >= size) {
                return false;
            }
        } while (!taken.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives a place back, and tells a waiting socket. */
    void release() {
        taken.decrementAndGet();
        Runnable waiting = onRoom;
        if (waiting != null) {
            onRoom = null;
            waiting.run();
        }
    }

    /** Runs the task (once) at the next release; at once if a place is free already. */
    void whenRoom(Runnable task) {
        onRoom = task;
        if (taken.get() < size && onRoom == task) {
            onRoom = null;
            task.run();
        }
    }

    int undelivered() {
        return taken.get();
    }
}
