package io.hibiki.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each socket that joins the controller's namespace, after its middlewares let it in. Parameters: the
 * {@link io.hibiki.socketio.Socket}, or none. A method that throws has the socket disconnected.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {
}
