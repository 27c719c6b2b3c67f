package org.dl4jasync.config;

/**
 * Where the model's DL4J optimizer state (momentum, Adam/Nadam moments) lives while several workers train.
 *
 * <p>Either way the state outlives a {@code fit}: a trainer's workers start from the network's updater state (or,
 * at a later {@code fit} on the same trainer, from where they stopped, unless the network's state was changed in
 * between), and after {@code fit} the network's own updater holds the training's state, so
 * {@code ModelSerializer.writeModel(net, file, true)}, {@code CheckpointListener}, early stopping and a later
 * {@code net.fit} all see it. With one worker both modes are {@code net.fit}, bit for bit.
 */
public enum OptimizerState {
    /**
     * Each worker has its own updater state, advanced by its own accepted updates only, as in the asynchronous SGD
     * papers (one velocity per thread) and PyTorch's Hogwild example. After {@code fit} the network's updater holds
     * the mean of the workers' states (as ParallelWrapper's {@code averageUpdaters}); at the next {@code fit} on the
     * same trainer each worker continues from its own state.
     */
    PER_WORKER,
    /**
     * One updater state beside the shared parameters, through which every worker's gradient is turned into the
     * update when the store applies it, as a parameter server does (TensorFlow's ParameterStrategy, MXNet's
     * dist_async): HOGWILD! advances it racily in place (it is the network's own updater state array), the locked
     * store under its lock, the CAS-published store as part of each published snapshot. With τ ≈ 0–1 the trajectory
     * stays close to {@code net.fit}'s.
     */
    SHARED
}
