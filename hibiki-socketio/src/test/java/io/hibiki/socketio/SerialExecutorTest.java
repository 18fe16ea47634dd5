package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One connection's tasks run in order, and a busy connection takes turns with the others on a shared executor. */
class SerialExecutorTest {

    /** A shared executor that runs its queue only when told to: the test sees the order of everything. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            queue.add(r);
        }

        void runAll() {
            for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
                r.run();
            }
        }
    }

    @Test
    void aFloodedConnectionTakesTurnsAndKeepsItsOrder() {
        ManualExecutor shared = new ManualExecutor();
        SerialExecutor flood = new SerialExecutor(shared);
        SerialExecutor quiet = new SerialExecutor(shared);
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            flood.execute(() -> ran.add("flood-" + n));
        }
        quiet.execute(() -> ran.add("quiet"));
        shared.runAll();
        assertEquals(101, ran.size());
        assertTrue(ran.indexOf("quiet") <= SerialExecutor.TURN, "the quiet connection waited for one turn only: "
                + ran.indexOf("quiet"));
        assertEquals(IntStream.range(0, 100).mapToObj(i -> "flood-" + i).toList(),
                ran.stream().filter(s -> s.startsWith("flood-")).toList(), "the flood's own order is kept");
    }
}
