package io.runnel.api.windowing;

/** The one window holding all records of a key; fired by triggers such as {@link CountTrigger}. */
public final class GlobalWindow extends Window {

    public static final GlobalWindow INSTANCE = new GlobalWindow();

    private GlobalWindow() {}

    @Override
    public long maxTimestamp() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "GlobalWindow";
    }

    /** The global window takes no bytes: there is only one. */
    public static io.runnel.api.types.TypeSerializer<GlobalWindow> serializer() {
        return Serializer.INSTANCE;
    }

    private enum Serializer implements io.runnel.api.types.TypeSerializer<GlobalWindow> {
        INSTANCE;

        private static final io.runnel.api.types.TypeSchema SCHEMA =
                io.runnel.api.types.TypeSchema.custom(GlobalWindow.class.getName(), "1");

        @Override
        public void serialize(GlobalWindow window, java.io.DataOutput out) {}

        @Override
        public GlobalWindow deserialize(java.io.DataInput in) {
            return GlobalWindow.INSTANCE;
        }

        @Override
        public GlobalWindow copy(GlobalWindow window) {
            return window;
        }

        @Override
        public io.runnel.api.types.TypeSchema schema() {
            return SCHEMA;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }
    }
}
