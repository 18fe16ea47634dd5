package io.hibiki.spring.sample;

/** The sample as a WebFlux application: Hibiki's handler in Reactor Netty's pipeline. */
class SampleWebFluxIT extends SampleAppContract {

    @Override
    String webApplicationType() {
        return "reactive";
    }
}
