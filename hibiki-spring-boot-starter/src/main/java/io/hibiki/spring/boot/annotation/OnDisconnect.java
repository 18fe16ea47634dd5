package io.hibiki.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a socket of the controller's namespace has left it. Parameters, in any order: the
 * {@link io.hibiki.socketio.Socket}, the {@link io.hibiki.socketio.DisconnectReason}, or none.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {
}
