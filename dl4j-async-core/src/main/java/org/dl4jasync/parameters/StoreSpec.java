package org.dl4jasync.parameters;

import java.util.Map;
import java.util.Objects;
import org.dl4jasync.model.TrainableModel;
import org.dl4jasync.spec.Choice;
import org.dl4jasync.spec.InvalidOptionException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The store option: where the shared parameters live and with which semantics, with its own options. The run's
 * configuration holds one; the engines create the run's {@link ParameterStore} from it.
 *
 * <p>{@link InProcess} is one of the three in-process semantics (the default: HOGWILD!). Other modules add stores
 * that live elsewhere (the cluster module: the parameters on a Hazelcast cluster); such a store is not
 * {@link #inProcess()}: it cannot run in virtual time and has no contention model.
 */
public interface StoreSpec {

    /** The in-process HOGWILD! store: the default. */
    StoreSpec DEFAULT = new InProcess(ParameterStore.Kind.HOGWILD, null);

    /** The report's {@code store}: {@code hogwild}, {@code locked}, {@code leashed}, or another module's key. */
    String key();

    /** Writes the store's keys into the report's {@code config} ({@code store} first). */
    void provenance(Map<String, Object> config);

    /**
     * Creates the run's store over {@code model}'s parameters.
     *
     * @param workers     the run's worker views (in this process)
     * @param sharedState the shared optimizer state's start, or null: per-worker optimizer state
     */
    ParameterStore create(TrainableModel model, int workers, INDArray sharedState);

    /** Whether the parameters live in this process (every store that can run in virtual time). */
    default boolean inProcess() {
        return true;
    }

    /**
     * Whether the store supports a shared optimizer state ({@code optimizer_state: shared}); the run's options refuse
     * it otherwise.
     */
    default boolean supportsSharedState() {
        return true;
    }

    /** Checks the rules between the store's own options; {@link InvalidOptionException} names the offending one. */
    default void check() {}

    /** Whether a run on this store can be checkpointed and resumed (the options refuse a checkpoint directory else). */
    default boolean supportsCheckpoints() {
        return true;
    }

    /**
     * Whether the store's report option {@code key} may differ between a checkpoint and the run that resumes it: it
     * says where the store lives (a cluster's name, members, addresses), not what is trained. The default: none.
     */
    default boolean resumeMayDiffer(String key) {
        return false;
    }

    /** Whether the store needs the model's parameters to be re-bindable (the CAS-published store). */
    default boolean needsRebindableModel() {
        return false;
    }

    /**
     * One of the three in-process stores.
     *
     * @param persistence failed CAS attempts allowed per update of {@link ParameterStore.Kind#LEASHED}; null:
     *                    unbounded. Only the CAS-published store takes a value.
     */
    record InProcess(ParameterStore.Kind kind, Integer persistence) implements StoreSpec {
        public InProcess {
            Objects.requireNonNull(kind, "store");
            if (persistence != null && persistence < 0) {
                throw new InvalidOptionException("persistence", persistence, "an integer >= 0 or 'unbounded'");
            }
        }

        /** The rule between the two options, checked when the configuration is built (they may be set in any order). */
        @Override
        public void check() {
            if (persistence != null && kind != ParameterStore.Kind.LEASHED) {
                throw new InvalidOptionException(
                        "persistence", persistence, "no value unless {store} is leashed (it is " + key() + ")");
            }
        }

        /** The store of {@code kind} with an unbounded persistence. */
        public static InProcess of(ParameterStore.Kind kind) {
            return new InProcess(kind, null);
        }

        @Override
        public String key() {
            return Choice.key(kind);
        }

        @Override
        public void provenance(Map<String, Object> config) {
            config.put("store", key());
            config.put("persistence", persistence == null ? "unbounded" : persistence);
        }

        @Override
        public ParameterStore create(TrainableModel model, int workers, INDArray sharedState) {
            return ParameterStore.create(
                    kind,
                    model,
                    workers,
                    persistence == null ? ParameterStore.UNBOUNDED_PERSISTENCE : persistence,
                    sharedState);
        }

        @Override
        public boolean needsRebindableModel() {
            return kind == ParameterStore.Kind.LEASHED;
        }
    }
}
