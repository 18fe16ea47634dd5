package io.hibiki.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every log event at WARN or above while open: an exception that reached the end of a Netty pipeline
 * ("An exceptionCaught() event was fired, and it reached at the tail…"), a {@code LEAK:} report, or a server
 * fault logged by Hibiki. Tests that feed hostile input assert that {@link #problems()} stays empty, since
 * client-caused errors must only be logged at debug level. Needs logback-classic on the test classpath.
 *
 * <pre>{@code
 * try (LogWatch logs = LogWatch.open()) {
 *     ... drive the server ...
 *     assertEquals(List.of(), logs.problems());
 * }
 * }</pre>
 */
public final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> problems = new ArrayList<>();

    private LogWatch() {
    }

    /** Starts recording on the root logger. */
    public static LogWatch open() {
        LogWatch watch = new LogWatch();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        watch.setContext(context);
        watch.setName("log-watch");
        watch.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(watch);
        return watch;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        StringBuilder line = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
                .append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        synchronized (problems) {
            problems.add(line.toString());
        }
    }

    /** The WARN and ERROR events recorded so far, one line each with the exception chain. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Forgets what was recorded. */
    public void clear() {
        synchronized (problems) {
            problems.clear();
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }
}
