package org.dl4jasync.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dl4jasync.dispatch.DispatchSpec;
import org.dl4jasync.parallelism.ElasticSpec;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.stepsize.StepSizeSpec;

/**
 * The report's view of a {@link RunConfig}: its {@code config} section (every setting as its report key and text
 * value, in a fixed order; each component's keys written by its spec) and the one-line description.
 */
final class RunProvenance {
    private RunProvenance() {}

    /** The report's {@code config}: every setting, as its report key and text value. */
    static Map<String, Object> of(RunConfig r) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean elasticAsync = r.elastic instanceof ElasticSpec.Probing
                && r.dispatch instanceof DispatchSpec.Async a
                && a.custom() == null;
        c.put("algorithm", elasticAsync ? "elastic" : r.dispatch.key()); // ElAsyncSGD: async with elastic parallelism
        r.store.provenance(c);
        c.put("workers", r.workers());
        c.put("optimizer_state", Choice.key(r.optimizerState));
        c.put("seed", r.seed);
        DispatchSpec.provenance(r.dispatch, c, r.roundWorkers());
        if (r.elastic == null) {
            ElasticSpec.fixedProvenance(c);
        } else {
            r.elastic.provenance(c);
        }
        c.put("loss_monitor", Choice.key(r.lossMonitor));
        c.put(
                "held_out_examples",
                r.heldOut == null ? null : r.heldOut.getFeatures(0).size(0));
        c.put("baseline_workers", r.elastic instanceof ElasticSpec.Probing p ? p.baseline() : null);
        c.put("measure_ain", r.measureAin);
        StepSizeSpec.provenance(r.stepSize, c);
        c.put("epochs", r.epochs);
        c.put("max_steps", r.maxSteps);
        c.put("time_limit", r.timeLimit == null ? null : r.timeLimit.toNanos() / 1e9);
        c.put("virtual_time_limit", r.virtualTimeLimit);
        c.put("target_accuracy", r.targetAccuracy);
        c.put("eval_every", r.evalEvery().orElse(0));
        c.put("eval_every_seconds", r.evalEverySeconds);
        c.put("eval_mode", Choice.key(r.evaluationMode));
        c.put("loss_trace_every", r.lossTraceEvery);
        c.put("on_non_finite", Choice.key(r.nonFinite));
        c.put("checkpoint_dir", r.checkpointDir == null ? null : r.checkpointDir.toString());
        c.put("checkpoint_every", r.checkpointDir == null ? null : r.checkpointEvery);
        c.put(
                "checkpoint_every_seconds",
                r.checkpointDir == null
                        ? null
                        : r.checkpointEverySeconds().isPresent()
                                ? (Object) r.checkpointEverySeconds().getAsDouble()
                                : null);
        c.put("keep_checkpoints", r.checkpointDir == null ? null : r.keepCheckpoints);
        c.put("resume", r.resumeFrom == null ? null : r.resumeFrom.toString());
        return c;
    }

    /** One line for a human: the algorithm, store, workers and step size. */
    static String describe(RunConfig r) {
        String how = r.dispatch.asynchronous()
                ? (r.elastic instanceof ElasticSpec.Probing && r.dispatch instanceof DispatchSpec.Async
                                ? "elastic"
                                : r.dispatch.describe(r.roundWorkers()))
                        + "/" + r.store.key()
                : r.dispatch.key();
        if (r.elastic != null
                && !(r.elastic instanceof ElasticSpec.Probing && r.dispatch instanceof DispatchSpec.Async)) {
            how += " + elastic parallelism";
        }
        int m = r.workers();
        String step = r.stepSize.describe();
        return how + ", " + m + " worker" + (m == 1 ? "" : "s") + (step.isEmpty() ? "" : ", step size " + step);
    }
}
