package io.bookhook.runtime;

/** Whether a stage is ready to do its work, and if not, what it waits for: what {@code /health/ready} answers. */
public interface Readiness {

    boolean ready();

    String waitingFor();

    static Readiness of(java.util.function.BooleanSupplier ready, String waitingFor) {
        return new Readiness() {
            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }

            @Override
            public String waitingFor() {
                return waitingFor;
            }
        };
    }
}
