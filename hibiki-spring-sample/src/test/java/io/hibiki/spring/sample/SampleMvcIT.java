package io.hibiki.spring.sample;

/** The sample as a Spring MVC application on Tomcat: Hibiki's servlet filter and Jakarta WebSocket endpoint. */
class SampleMvcIT extends SampleAppContract {

    @Override
    String webApplicationType() {
        return "servlet";
    }
}
