package org.dl4jasync.config;

import org.dl4jasync.dispatch.RoundSpec;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.spec.InvalidOptionException;

/**
 * The rules between a run's components, in one place: each component's own values were checked when its spec was
 * built; these involve two of them or the worker count, and are checked when the configuration is built (an
 * {@link InvalidOptionException} naming the report key, rendered by the caller with its own option names).
 */
final class ComponentRules {
    private ComponentRules() {}

    /**
     * The rules that involve more than one component or the worker count, checked when the configuration is built:
     * each component's own values were checked when its spec was.
     */
    static void check(RunConfig c) {
        int m = c.workers();
        c.dispatch.check(c.roundWorkers()); // a round's K: by the workers that fill the rounds
        if (c.elastic != null) {
            c.elastic.check(m);
            if (!c.dispatch.asynchronous()) {
                throw c.elastic instanceof ElasticSpec.Custom
                        ? new IllegalArgumentException(
                                "elastic parallelism controls the asynchronous algorithms' workers; got "
                                        + c.dispatch.key())
                        : new InvalidOptionException(
                                "parallelism",
                                "elastic",
                                "fixed with {algorithm} " + c.dispatch.key()
                                        + " (elastic parallelism controls the asynchronous algorithms: async, "
                                        + "interval, bounded, ssp, kasync, abs)");
            }
        }
        c.store.check();
        if (c.store instanceof CoordinatedStore shared && c.dispatch.asynchronous()) {
            shared.checkDispatch(c.dispatch, c.elastic != null);
        }
        if (!c.store.inProcess() && !c.dispatch.asynchronous()) {
            throw new InvalidOptionException(
                    "store",
                    c.store.key(),
                    "an in-process store with {algorithm} " + c.dispatch.key()
                            + " (the baselines run on the exact in-place store)");
        }
        if ((c.checkpointDir != null || c.resumeFrom != null) && !c.store.supportsCheckpoints()) {
            throw new InvalidOptionException(
                    c.checkpointDir != null ? "checkpoint_dir" : "resume",
                    String.valueOf(c.checkpointDir != null ? c.checkpointDir : c.resumeFrom),
                    "none with {store} " + c.store.key() + " (its checkpoints are not kept yet)");
        }
        if (c.optimizerState == OptimizerState.SHARED && !c.store.supportsSharedState()) {
            throw new InvalidOptionException("optimizer_state", "shared", "per_worker with {store} " + c.store.key());
        }
        if (c.optimizerState == OptimizerState.SHARED && c.dispatch instanceof RoundSpec) {
            throw new InvalidOptionException(
                    "optimizer_state",
                    "shared",
                    "per_worker with {algorithm} " + c.dispatch.key()
                            + " (its workers form their updates, and take local steps, before a round adds them up)");
        }
        if (c.lossMonitor.needsHeldOut() && !c.readsLoss()) {
            throw new InvalidOptionException(
                    "loss_monitor",
                    Choice.key(c.lossMonitor),
                    "ema unless a controller reads the loss (elastic parallelism, {interval_policy} probe or "
                            + "{interval_y} auto)");
        }
        if ((c.checkpointEvery != null || c.checkpointEverySeconds != null) && c.checkpointDir == null) {
            throw new InvalidOptionException(
                    c.checkpointEvery != null ? "checkpoint_every" : "checkpoint_every_seconds",
                    c.checkpointEvery != null ? (Object) c.checkpointEvery : c.checkpointEverySeconds,
                    "no value without {checkpoint_dir}");
        }
        if (c.stepSize.adaptive() && !c.dispatch.asynchronous()) {
            throw new InvalidOptionException(
                    "step_size",
                    c.stepSize.key(),
                    "constant with {algorithm} " + c.dispatch.key()
                            + " (updates have no staleness to adapt to; use async or interval)");
        }
    }
}
