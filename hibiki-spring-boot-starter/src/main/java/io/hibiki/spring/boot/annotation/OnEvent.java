package io.hibiki.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one event of the controller's namespace.
 *
 * <p>Parameters, in any order: the {@link io.hibiki.socketio.Socket}; the {@link io.hibiki.socketio.Ack} (the method
 * then answers through it, and its return value is not sent); the raw {@link io.hibiki.socketio.Args}; and any other
 * type, bound in order from the event's arguments by the application's JSON mapper ({@code byte[]} takes a binary
 * attachment as it is). A missing argument binds to {@code null}.
 *
 * <p>When the client asked for an acknowledgement and the method takes no {@code Ack}, the return value is the
 * acknowledgement: nothing for {@code void}, the value otherwise, and a {@link java.util.concurrent.CompletionStage}'s
 * value once it completes. A method that throws (or a stage that fails) answers {@code {"error": "<message>"}}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {

    /**
     * The event's name.
     *
     * @return the name the client emits, for example {@code send-message-to-room}
     */
    String value();
}
