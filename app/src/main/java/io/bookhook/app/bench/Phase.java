package io.bookhook.app.bench;

/** The part of the run a webhook belongs to, by the row that made it. */
public enum Phase {
    /** A paced row committed in the first {@code --warmup} of the paced phase. */
    WARMUP("warmup", "warm-up"),
    /** A paced row committed after the warm-up. */
    STEADY("steady", "steady"),
    /** A row of the backlog. */
    BACKLOG("backlog", "backlog"),
    /** Not a row the bench wrote (another writer's, on {@code --servers env}). */
    OTHER("other", "other");

    private final String csvName;
    private final String label;

    Phase(String csvName, String label) {
        this.csvName = csvName;
        this.label = label;
    }

    /** As written in received.csv and bench.json. */
    public String csvName() {
        return csvName;
    }

    /** As printed. */
    public String label() {
        return label;
    }
}
