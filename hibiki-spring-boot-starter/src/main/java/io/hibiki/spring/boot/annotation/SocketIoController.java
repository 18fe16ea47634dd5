package io.hibiki.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * A bean whose {@link OnConnect}, {@link OnEvent} and {@link OnDisconnect} methods handle the sockets of one
 * namespace. It is a {@link Component}, so component scanning finds it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface SocketIoController {

    /**
     * The namespace the handlers are bound to.
     *
     * @return a namespace name such as {@code /chat}; {@code /} by default
     */
    String namespace() default "/";
}
