package io.hibiki.spring.sample;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The sample application started by a test, on a free port. */
final class SampleApp implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final int port;

    private SampleApp(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts the sample with {@code --server.port=0} and the given {@code --name=value} arguments. */
    static SampleApp start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        return new SampleApp(SpringApplication.run(SampleApplication.class, all.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
