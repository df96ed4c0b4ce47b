package com.example.wordcount;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.stream.StreamJob;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** Counts words of the {@code text} parameter (words separated by spaces) into files under {@code output}. */
@Component(property = StreamJob.NAME + "=wordcount")
public final class WordCountJob implements StreamJob {

    /** A word and how often it was seen so far. */
    public record Count(String word, long count) {}

    @Override
    public void build(StreamEnvironment env, Map<String, String> parameters) {
        String text = parameters.get("text");
        String output = parameters.get("output");
        if (text == null || output == null) {
            throw new IllegalArgumentException("wordcount needs the parameters text and output, but got " + parameters.keySet());
        }
        env.fromCollection(List.of(text.split(" ")))
                .flatMap((String word, Collector<Count> out) -> out.collect(new Count(word, 1)))
                .keyBy(Count::word)
                .reduce((a, b) -> new Count(a.word(), a.count() + b.count()))
                .map(count -> count.word() + " " + count.count())
                .sinkTo(Sinks.files(output), "counts");
    }
}
