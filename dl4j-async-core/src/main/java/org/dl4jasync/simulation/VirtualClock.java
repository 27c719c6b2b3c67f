package org.dl4jasync.simulation;

import java.util.function.DoubleSupplier;

/** The simulator's virtual time in seconds, for controllers that measure rates (y-probing, elastic parallelism). */
public final class VirtualClock implements DoubleSupplier {
    /** Written by the simulation thread before each event; read by controllers on that same thread. */
    private double now;

    /** Advances the clock (the simulator, before each event). */
    public void set(double seconds) {
        this.now = seconds;
    }

    @Override
    public double getAsDouble() {
        return now;
    }
}
