package io.hibiki.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/** Finds the application's Jackson 3 mapper, when Jackson 3 is on the class path and the application has one. */
final class Jackson3Binders {

    private static final String JACKSON3 = "tools.jackson.databind.ObjectMapper";

    private Jackson3Binders() {
    }

    static PayloadBinder fromContext(ApplicationContext context, ObjectMapper wire) {
        if (!ClassUtils.isPresent(JACKSON3, Jackson3Binders.class.getClassLoader())) {
            return null;
        }
        var mapper = context.getBeanProvider(tools.jackson.databind.ObjectMapper.class).getIfUnique();
        return mapper == null ? null : new Jackson3PayloadBinder(mapper, wire);
    }
}
