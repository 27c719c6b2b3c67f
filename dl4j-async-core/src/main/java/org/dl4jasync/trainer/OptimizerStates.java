package org.dl4jasync.trainer;

import java.util.Arrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-worker optimizer states of a trainer between its fits ({@code OptimizerState.PER_WORKER}): the state each
 * worker had when the last run ended, and the state that run wrote into the network's updater (the workers' mean).
 * The next run's workers continue from their own states if the network's updater state is still exactly what was
 * written; if anything changed it since ({@code net.fit}, a restore, {@code setStateViewArray}), every worker starts
 * from the network's state. A new trainer (or a first fit) starts every worker from the network's state.
 *
 * <p>Confined to the thread that calls {@code fit} (a trainer runs one fit at a time).
 */
final class OptimizerStates {
    /** Each worker's state at the end of the last run, or null. */
    private INDArray[] kept;
    /** What the last run wrote into the network's updater state, or null. */
    private INDArray written;

    /**
     * The state worker {@code w} of an m-worker run starts from: its own kept state when the network's state is what
     * the last run wrote, else the network's ({@code current}); null when the updater keeps no state.
     */
    INDArray startOf(int w, int m, INDArray current) {
        if (current == null) {
            return null;
        }
        if (kept != null && kept.length == m && kept[w] != null && unchanged(current)) {
            return kept[w];
        }
        return current;
    }

    private boolean unchanged(INDArray current) {
        // exact, element by element (a view-safe copy each: once per fit)
        return written != null
                && written.length() == current.length()
                && Arrays.equals(
                        written.reshape(written.length()).toDoubleVector(),
                        current.reshape(current.length()).toDoubleVector());
    }

    /**
     * After a run: keeps each worker's final state (null entries: a worker that never started) and what the run wrote
     * into the network's updater state ({@code written}), to recognise it at the next fit.
     */
    void keep(INDArray[] states, INDArray written) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray[] copies = new INDArray[states.length];
            for (int w = 0; w < states.length; w++) {
                copies[w] = states[w] == null ? null : states[w].dup();
            }
            kept = copies;
            this.written = written.dup();
        }
    }

    /**
     * Writes the model-level state into {@code target}: {@code only}, the one non-null state, or the mean of the
     * non-null states; leaves {@code target} as it is when there is none.
     */
    static void writeInto(INDArray target, INDArray[] states, INDArray only) {
        if (only != null) {
            target.assign(only);
            return;
        }
        int n = 0;
        INDArray first = null;
        for (INDArray s : states) {
            if (s != null) {
                n++;
                if (first == null) {
                    first = s;
                }
            }
        }
        if (n == 0) {
            return;
        }
        target.assign(first);
        if (n == 1) {
            return; // exactly the one worker's state: no arithmetic
        }
        boolean skipped = false;
        for (INDArray s : states) {
            if (s == null) {
                continue;
            }
            if (!skipped && s == first) {
                skipped = true;
                continue;
            }
            target.addi(s);
        }
        target.divi(n);
    }
}
