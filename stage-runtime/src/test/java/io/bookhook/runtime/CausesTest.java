package io.bookhook.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void theRootIsTheInnermostCause() {
        IOException root = new IOException("connection refused");
        Exception wrapped = new ExecutionException("send failed", new IllegalStateException("wrapper", root));

        assertThat(Causes.root(wrapped)).isSameAs(root);
        assertThat(Causes.rootMessage(wrapped)).isEqualTo("connection refused");
    }

    @Test
    void anErrorWithoutCauseIsItsOwnRootAndWithoutMessageNamedByItsClass() {
        IllegalStateException alone = new IllegalStateException();

        assertThat(Causes.root(alone)).isSameAs(alone);
        assertThat(Causes.rootMessage(alone)).isEqualTo("IllegalStateException");
    }

    @Test
    void theFirstLineLeavesTheRestOfAMultiLineMessageOut() {
        Exception error = new RuntimeException(new IOException("ERROR: relation does not exist\n  Position: 15"));

        assertThat(Causes.rootFirstLine(error)).isEqualTo("ERROR: relation does not exist");
    }

    @Test
    void aChainThatLoopsBackEndsBeforeItRepeats() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second", first);
        first.initCause(second);

        assertThat(Causes.root(first)).isSameAs(second);
        assertThat(Causes.find(first, IOException.class)).isEmpty();
    }

    @Test
    void findsACauseOfATypeAmongCausesAndWhatTheySuppressed() {
        IOException cause = new IOException("refused");
        assertThat(Causes.find(new UncheckedIOException(cause), IOException.class)).containsSame(cause);

        RuntimeException outer = new RuntimeException("outer");
        IOException suppressed = new IOException("suppressed");
        outer.addSuppressed(suppressed);
        assertThat(Causes.find(outer, IOException.class)).containsSame(suppressed);
        assertThat(Causes.find(outer, InterruptedException.class)).isEmpty();
    }
}
