package org.dl4jasync.checkpoint;

/**
 * A run component with state that a resumed run must continue (a controller's phase, a staleness window, a
 * policy's y): a record {@code S} it writes into a checkpoint and takes back. The run calls {@link #checkpointState}
 * while every worker is paused between steps (so the component is quiescent), and {@link #restoreState} before any
 * worker starts. {@link CheckpointStates} writes the record as JSON (its components' names in snake case are the
 * keys) and reads it back: no component spells a key or converts a value by hand.
 *
 * @param <S> the component's state, a record of JSON-mappable values (numbers, strings, booleans, arrays, lists,
 *            nested state records, or a nested component's state tree written by {@link CheckpointStates})
 */
public interface Checkpointable<S extends Record> {
    /** The component's state (null: none to keep); read with every worker paused. */
    S checkpointState();

    /** Takes back a state written by {@link #checkpointState} of a component configured the same way. */
    void restoreState(S state);

    /** The class of {@code S}, to read it back. */
    Class<S> stateType();
}
