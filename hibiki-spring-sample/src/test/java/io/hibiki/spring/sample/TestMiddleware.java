package io.hibiki.spring.sample;

import io.hibiki.spring.boot.NamespaceMiddleware;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A middleware bean the tests add to the sample: {@code /test} refuses clients whose auth says {@code deny}. */
@Configuration(proxyBeanMethods = false)
class TestMiddleware {

    @Bean
    NamespaceMiddleware refuseDenied() {
        return new NamespaceMiddleware("/test", (socket, next) -> {
            if (socket.handshake().auth().path("deny").asBoolean(false)) {
                next.fail("denied by a middleware bean", Map.of("code", 42));
            } else {
                next.ok();
            }
        });
    }
}
