package org.dl4jasync.optimizer;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Classical heavy-ball momentum (Polyak 1964) as a DL4J updater: {@code δ ← μ·δ − η·g; θ ← θ + δ}, the SGD with
 * momentum of the asynchronous SGD papers this project reproduces (K. Bäckström, "Asynchronous stochastic gradient
 * descent ..." thesis, eqs. 1.3 and A.5; the Interval-Asynchrony paper's experiments), as both authors' codes
 * implement it (MiniDNN's {@code SGDM}: {@code δ_i = −factor·η·g_i + μ·δ_i}).
 *
 * <p>DL4J's only momentum updater, {@link org.nd4j.linalg.learning.config.Nesterovs}, lands a gradient with weight
 * (1 + μ)·η at once (Nesterov's look-ahead in the form of Sutskever et al.); here a gradient enters with η and its
 * momentum follows over later steps. In DL4J's convention the network subtracts the updater's output, so the state
 * kept is the velocity {@code v = −δ} ({@code v ← μ·v + η·g}, output {@code v}), one element per parameter.
 *
 * <p>Usable anywhere a DL4J updater is: {@code .updater(new HeavyBall(0.01, 0.9))} on a configuration, with plain
 * {@code net.fit}, serialised in the model's JSON (by class name, as DL4J's own) and with its state saved by
 * {@code ModelSerializer}. With a staleness-adaptive step size the trainer scales the gradient term only, as the
 * authors do ({@code δ ← μ·δ − factor·η·g}); see the README's step-size section.
 */
public final class HeavyBall implements IUpdater {
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.9;

    private double learningRate = DEFAULT_LEARNING_RATE;
    private ISchedule learningRateSchedule;
    private double momentum = DEFAULT_MOMENTUM;
    private ISchedule momentumSchedule;

    /** η 0.01, μ 0.9 (and the form Jackson reads a configuration with). */
    public HeavyBall() {}

    public HeavyBall(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = checkMomentum(momentum);
    }

    public HeavyBall(ISchedule learningRateSchedule, double momentum) {
        this.learningRate = Double.NaN;
        this.learningRateSchedule = Objects.requireNonNull(learningRateSchedule, "learningRateSchedule");
        this.momentum = checkMomentum(momentum);
    }

    private static double checkMomentum(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("heavy-ball momentum must be in [0, 1), got " + mu);
        }
        return mu;
    }

    /** A momentum schedule instead of the constant μ. */
    public HeavyBall momentumSchedule(ISchedule schedule) {
        this.momentumSchedule = Objects.requireNonNull(schedule, "momentumSchedule");
        return this;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public double getMomentum() {
        return momentum;
    }

    /** μ at the given iteration and epoch. */
    public double currentMomentum(int iteration, int epoch) {
        return momentumSchedule != null ? momentumSchedule.valueAt(iteration, epoch) : momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        HeavyBallUpdater u = new HeavyBallUpdater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        u.setStateViewArray(flat, flat.shape(), flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        HeavyBallUpdater u = new HeavyBallUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public HeavyBall clone() {
        HeavyBall c = new HeavyBall();
        c.learningRate = learningRate;
        c.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        c.momentum = momentum;
        c.momentumSchedule = momentumSchedule == null ? null : momentumSchedule.clone();
        return c;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeavyBall)) {
            return false;
        }
        HeavyBall h = (HeavyBall) o;
        return Double.compare(learningRate, h.learningRate) == 0
                && Double.compare(momentum, h.momentum) == 0
                && Objects.equals(learningRateSchedule, h.learningRateSchedule)
                && Objects.equals(momentumSchedule, h.momentumSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, learningRateSchedule, momentumSchedule);
    }

    @Override
    public String toString() {
        return "HeavyBall(learningRate=" + (learningRateSchedule != null ? learningRateSchedule : learningRate)
                + ", momentum=" + (momentumSchedule != null ? momentumSchedule : momentum) + ")";
    }
}
