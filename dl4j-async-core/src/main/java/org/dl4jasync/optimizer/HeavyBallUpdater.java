package org.dl4jasync.optimizer;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The state and step of {@link HeavyBall}: velocity {@code v} (one element per parameter, DL4J's sign convention);
 * {@code v ← μ·v + η·g}, and the gradient array becomes the update {@code v}.
 */
public final class HeavyBallUpdater implements GradientUpdater<HeavyBall> {
    /** The state's key in DL4J's state map. */
    public static final String V_STATE = "V";

    private final HeavyBall config;
    private INDArray v;

    public HeavyBallUpdater(HeavyBall config) {
        this.config = config;
    }

    @Override
    public HeavyBall getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.containsKey(V_STATE) || stateMap.size() != 1) {
            throw new IllegalStateException(
                    "the heavy-ball state holds only [" + V_STATE + "], got " + stateMap.keySet());
        }
        this.v = stateMap.get(V_STATE);
        if (initialize) {
            v.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(V_STATE, v);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVectorOrScalar()) {
            throw new IllegalArgumentException("the heavy-ball state view must be a row vector");
        }
        if (initialize) {
            viewArray.assign(0);
        }
        this.v = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
        if (v == null) {
            throw new IllegalStateException("could not reshape the heavy-ball state to the gradient's shape");
        }
    }

    /** {@code v ← μ·v + η·g}; {@code gradient ← v} (in place, nothing allocated but ND4J's op objects). */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (v == null) {
            throw new IllegalStateException("the heavy-ball updater has no state view");
        }
        double mu = config.currentMomentum(iteration, epoch);
        double lr = config.getLearningRate(iteration, epoch);
        INDArray g = gradient.reshape(v.shape());
        g.muli(lr);
        v.muli(mu).addi(g);
        g.assign(v);
    }
}
