package org.dl4jasync.earlystopping;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.EpochTerminationCondition;
import org.deeplearning4j.earlystopping.termination.IterationTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.IEarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jasync.config.RunConfig;
import org.dl4jasync.trainer.AsyncTrainer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J early stopping on top of {@link AsyncTrainer}: what {@code EarlyStoppingParallelTrainer} is to
 * ParallelWrapper. It honours an {@link EarlyStoppingConfiguration} as DL4J's {@code BaseEarlyStoppingTrainer}
 * does (read in 1.0.0-M2.1), step for step:
 *
 * <ul>
 * <li>each epoch is one {@code trainer.fit(train, 1)} (its epoch events, iteration and epoch counts as ever);</li>
 * <li>the iteration termination conditions see the loss of every applied update (the network's score, as DL4J's
 * see the score of every minibatch); the first that fires calls {@link AsyncTrainer#stopFit()}, so the epoch ends
 * after the steps in flight, and the result says {@code IterationTerminationCondition};</li>
 * <li>the score calculator runs after epoch 0 and every {@code evaluateEveryNEpochs} epochs (DL4J's rule:
 * epochs e with e % N == 0), on the network with all workers stopped; a better score saves the best model, and
 * {@code saveLastModel} the latest; the {@link EarlyStoppingListener} gets {@code onEpoch}; then the epoch
 * termination conditions are asked (only at scored epochs, as in DL4J: with N = 2 and at most 5 epochs the run
 * scores epochs 0, 2, 4 and ends after 5);</li>
 * <li>an exception while training ends with {@code TerminationReason.Error} and the best model so far.</li>
 * </ul>
 *
 * <p>Where it differs, and why: {@code bestModelScore} is the score calculator's best value (DL4J's trainer reports
 * {@code bestModel.score()}, the last minibatch loss of the saved copy, which is not what its javadoc promises);
 * when training ends before any model was saved the best model is null and its epoch −1 (DL4J's trainer throws a
 * NullPointerException there); {@link #pretrain()} is not offered (layer-wise pretraining is not SGD on the whole
 * network).
 *
 * <p>Generic in the model as DL4J's {@code EarlyStoppingParallelTrainer<T extends Model>}: {@code T} is the trainer's
 * model, a {@link MultiLayerNetwork} or a {@link ComputationGraph} (DL4J's {@code EarlyStoppingGraphTrainer}); a graph
 * with several inputs or outputs trains on a {@link MultiDataSetIterator}.
 *
 * @param <T> the type of the trainer's model, as in the early-stopping configuration
 */
public final class AsyncEarlyStoppingTrainer<T extends Model> implements IEarlyStoppingTrainer<T> {
    private static final Logger log = LoggerFactory.getLogger(AsyncEarlyStoppingTrainer.class);

    private final EarlyStoppingConfiguration<T> esConfig;
    private final AsyncTrainer trainer;
    private final T net;
    /** One of the two is set: the training data, one epoch per {@code fit}. */
    private final DataSetIterator train;

    private final MultiDataSetIterator trainMulti;
    private EarlyStoppingListener<T> listener;

    /**
     * @param trainer built on the network to train, without stop conditions of its own (max steps, time limit,
     *                target accuracy: the configuration's termination conditions take their place)
     */
    public AsyncEarlyStoppingTrainer(
            EarlyStoppingConfiguration<T> esConfig, AsyncTrainer trainer, DataSetIterator train) {
        this(esConfig, trainer, train, null);
    }

    public AsyncEarlyStoppingTrainer(
            EarlyStoppingConfiguration<T> esConfig,
            AsyncTrainer trainer,
            DataSetIterator train,
            EarlyStoppingListener<T> listener) {
        this(esConfig, trainer, Objects.requireNonNull(train, "train"), null, listener);
    }

    /** For a {@link ComputationGraph} with several inputs or outputs (DL4J's {@code EarlyStoppingGraphTrainer}). */
    public AsyncEarlyStoppingTrainer(
            EarlyStoppingConfiguration<T> esConfig, AsyncTrainer trainer, MultiDataSetIterator train) {
        this(esConfig, trainer, train, null);
    }

    public AsyncEarlyStoppingTrainer(
            EarlyStoppingConfiguration<T> esConfig,
            AsyncTrainer trainer,
            MultiDataSetIterator train,
            EarlyStoppingListener<T> listener) {
        this(esConfig, trainer, null, Objects.requireNonNull(train, "train"), listener);
    }

    @SuppressWarnings("unchecked") // T is the trainer's model type, as the configuration's (the caller's typing)
    private AsyncEarlyStoppingTrainer(
            EarlyStoppingConfiguration<T> esConfig,
            AsyncTrainer trainer,
            DataSetIterator train,
            MultiDataSetIterator trainMulti,
            EarlyStoppingListener<T> listener) {
        this.esConfig = Objects.requireNonNull(esConfig, "esConfig");
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.train = train;
        this.trainMulti = trainMulti;
        this.listener = listener;
        this.net = (T) trainer.model();
        RunConfig c = trainer.config();
        if (c.maxSteps().isPresent()
                || c.timeLimit().isPresent()
                || c.targetAccuracy().isPresent()) {
            throw new IllegalArgumentException("the AsyncTrainer has stop conditions of its own (max steps, time "
                    + "limit or target accuracy), which would end every epoch early; build it without them and use "
                    + "the early-stopping configuration's termination conditions (e.g. MaxTimeIterationTermination"
                    + "Condition)");
        }
        if (train != null ? !train.resetSupported() : !trainMulti.resetSupported()) {
            throw new IllegalArgumentException(
                    "early stopping runs several epochs: the training iterator must " + "support reset()");
        }
    }

    @Override
    public void setListener(EarlyStoppingListener<T> l) {
        this.listener = l;
    }

    /** Not offered: layer-wise pretraining is not asynchronous SGD on the whole network. */
    @Override
    public EarlyStoppingResult<T> pretrain() {
        throw new UnsupportedOperationException("layer-wise pretraining is not supported by the asynchronous "
                + "trainer; use DL4J's EarlyStoppingTrainer for it");
    }

    /**
     * Watches every applied update's loss (listener calls are serialised by the trainer, one at a time): the first
     * iteration condition that fires is kept and the fit is stopped.
     */
    private static final class IterationGuard extends BaseTrainingListener {
        private final List<IterationTerminationCondition> conditions;
        private final AsyncTrainer trainer;
        /** Written by the listener thread, read by the caller after fit returned (its workers were joined). */
        volatile IterationTerminationCondition fired;

        IterationGuard(List<IterationTerminationCondition> conditions, AsyncTrainer trainer) {
            this.conditions = conditions;
            this.trainer = trainer;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (fired != null) {
                return;
            }
            double score = model.score();
            for (IterationTerminationCondition c : conditions) {
                if (c.terminate(score)) {
                    fired = c;
                    trainer.stopFit();
                    return;
                }
            }
        }
    }

    @Override
    public EarlyStoppingResult<T> fit() {
        esConfig.validate();
        ScoreCalculator<T> sc = esConfig.getScoreCalculator();
        Objects.requireNonNull(sc, "Score calculator cannot be null");
        List<IterationTerminationCondition> iterationConditions = esConfig.getIterationTerminationConditions();
        List<EpochTerminationCondition> epochConditions = esConfig.getEpochTerminationConditions();
        iterationConditions.forEach(IterationTerminationCondition::initialize);
        epochConditions.forEach(EpochTerminationCondition::initialize);
        if (listener != null) {
            listener.onStart(esConfig, net);
        }
        Map<Integer, Double> scoreVsEpoch = new LinkedHashMap<>();
        double bestScore = sc.minimizeScore() ? Double.MAX_VALUE : -Double.MAX_VALUE;
        int bestEpoch = -1;
        IterationGuard guard = new IterationGuard(iterationConditions, trainer);
        List<TrainingListener> before = List.copyOf(trainer.getListeners());
        trainer.addListeners(guard);
        try {
            for (int epoch = 0; ; epoch++) {
                try {
                    if (train != null) {
                        train.reset();
                        trainer.fit(train, 1);
                    } else {
                        trainMulti.reset();
                        trainer.fit(trainMulti, 1);
                    }
                } catch (RuntimeException e) {
                    log.warn("Early stopping training terminated due to exception at epoch {}", epoch, e);
                    return new EarlyStoppingResult<>(
                            EarlyStoppingResult.TerminationReason.Error,
                            e.toString(),
                            scoreVsEpoch,
                            bestEpoch,
                            bestEpoch < 0 ? Double.NaN : bestScore,
                            epoch,
                            bestModel());
                }
                if (guard.fired != null) {
                    log.info("Hit per iteration termination condition at epoch {}: {}", epoch, guard.fired);
                    if (esConfig.isSaveLastModel()) {
                        save(false, 0.0);
                    }
                    return complete(new EarlyStoppingResult<>(
                            EarlyStoppingResult.TerminationReason.IterationTerminationCondition,
                            guard.fired.toString(),
                            scoreVsEpoch,
                            bestEpoch,
                            bestEpoch < 0 ? Double.NaN : bestScore,
                            epoch,
                            bestModel()));
                }
                int n = esConfig.getEvaluateEveryNEpochs();
                if (epoch % n != 0) {
                    continue;
                }
                double score = sc.calculateScore(net);
                scoreVsEpoch.put(epoch, score);
                boolean invalid = Double.isNaN(score) || Double.isInfinite(score);
                if (invalid) {
                    log.warn("Score is not finite for epoch {}: score = {}", epoch, score);
                }
                boolean better = sc.minimizeScore() ? score < bestScore : score > bestScore;
                if (better || (bestEpoch == -1 && invalid)) {
                    log.info(
                            "Score at epoch {}: {} (new best; previous {} at epoch {})",
                            epoch,
                            score,
                            bestScore,
                            bestEpoch);
                    bestScore = score;
                    bestEpoch = epoch;
                    save(true, score);
                } else {
                    log.info("Score at epoch {}: {}", epoch, score);
                }
                if (esConfig.isSaveLastModel()) {
                    save(false, score);
                }
                if (listener != null) {
                    listener.onEpoch(epoch, score, esConfig, net);
                }
                for (EpochTerminationCondition c : epochConditions) {
                    if (c.terminate(epoch, score, sc.minimizeScore())) {
                        log.info("Hit epoch termination condition at epoch {}: {}", epoch, c);
                        return complete(new EarlyStoppingResult<>(
                                EarlyStoppingResult.TerminationReason.EpochTerminationCondition,
                                c.toString(),
                                scoreVsEpoch,
                                bestEpoch,
                                bestScore,
                                epoch + 1,
                                bestModel()));
                    }
                }
            }
        } finally {
            trainer.setListeners(before.toArray(new TrainingListener[0]));
        }
    }

    private EarlyStoppingResult<T> complete(EarlyStoppingResult<T> result) {
        if (listener != null) {
            listener.onCompletion(result);
        }
        return result;
    }

    private void save(boolean best, double score) {
        try {
            if (best) {
                esConfig.getModelSaver().saveBestModel(net, score);
            } else {
                esConfig.getModelSaver().saveLatestModel(net, score);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Error saving the " + (best ? "best" : "most recent") + " model", e);
        }
    }

    /** The saver's best model, or null when none was saved yet. */
    private T bestModel() {
        try {
            return esConfig.getModelSaver().getBestModel();
        } catch (IOException e) {
            log.warn("no best model could be loaded: {}", e.toString());
            return null;
        }
    }
}
