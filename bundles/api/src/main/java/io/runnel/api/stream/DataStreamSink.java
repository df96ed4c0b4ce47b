package io.runnel.api.stream;

import org.osgi.annotation.versioning.ProviderType;

/** The settings of a sink operator. */
@ProviderType
public interface DataStreamSink {

    DataStreamSink name(String name);

    DataStreamSink uid(String uid);

    DataStreamSink setParallelism(int parallelism);
}
