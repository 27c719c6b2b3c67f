package org.dl4jasync.checkpoint;

import java.util.Map;

/**
 * A run component with state that a resumed run must continue (a controller's phase, a staleness window, a
 * policy's y): what it writes into a checkpoint and how it takes it back. The run calls {@link #checkpointState}
 * while every worker is paused between steps (so the component is quiescent), and {@link #restoreState} before any
 * worker starts. Values are plain JSON values (numbers, strings, booleans, lists and maps of them).
 */
public interface Checkpointable {
    /** The component's state; read with every worker paused. */
    Map<String, Object> checkpointState();

    /** Takes back a state written by {@link #checkpointState} of a component configured the same way. */
    void restoreState(Map<String, Object> state);
}
