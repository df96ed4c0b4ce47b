package io.runnel.connectors.basic.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the file sink's files. Subtask {@code s} writes its {@code c}-th file (counting from
 * 0 over the life of the output directory) as
 * <ul>
 *   <li>{@code .part-s-c.txt.inprogress} while records go in (hidden),
 *   <li>{@code .part-s-c.txt.pending-cpN} once closed for checkpoint N, until N completes (hidden),
 *   <li>{@code part-s-c.txt} once committed: complete, final, never written again.
 * </ul>
 * {@code part-s.txt} is the single file per subtask written by earlier versions of the sink
 * ({@link Kind#LEGACY}); it is recognised only so a fresh run can replace it.
 *
 * @param kind what stage the file is in
 * @param subtask the index of the subtask that wrote it: the "namespace" whose counter it uses
 * @param counter the file's number within that namespace (0 for {@link Kind#LEGACY})
 * @param checkpointId for {@link Kind#PENDING}, the checkpoint it waits for; otherwise -1
 */
record PartFileName(Kind kind, int subtask, long counter, long checkpointId) {

    /** The stages of a part file. */
    enum Kind { IN_PROGRESS, PENDING, COMMITTED, LEGACY }

    private static final Pattern COMMITTED = Pattern.compile("part-(\\d{1,9})-(\\d{1,18})\\.txt");
    private static final Pattern IN_PROGRESS = Pattern.compile("\\.part-(\\d{1,9})-(\\d{1,18})\\.txt\\.inprogress");
    private static final Pattern PENDING = Pattern.compile("\\.part-(\\d{1,9})-(\\d{1,18})\\.txt\\.pending-cp(\\d{1,18})");
    private static final Pattern LEGACY = Pattern.compile("part-(\\d{1,9})\\.txt");

    static String inProgress(int subtask, long counter) {
        return ".part-" + subtask + "-" + counter + ".txt.inprogress";
    }

    static String pending(int subtask, long counter, long checkpointId) {
        return ".part-" + subtask + "-" + counter + ".txt.pending-cp" + checkpointId;
    }

    static String committed(int subtask, long counter) {
        return "part-" + subtask + "-" + counter + ".txt";
    }

    /** The file name this one has once committed. */
    String committedName() {
        return committed(subtask, counter);
    }

    /** What a file name is, or null if the sink does not write files of that name. */
    static PartFileName parse(String fileName) {
        Matcher matcher = COMMITTED.matcher(fileName);
        if (matcher.matches()) {
            return new PartFileName(Kind.COMMITTED, Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)), -1);
        }
        matcher = IN_PROGRESS.matcher(fileName);
        if (matcher.matches()) {
            return new PartFileName(Kind.IN_PROGRESS, Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)), -1);
        }
        matcher = PENDING.matcher(fileName);
        if (matcher.matches()) {
            return new PartFileName(Kind.PENDING, Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)));
        }
        matcher = LEGACY.matcher(fileName);
        if (matcher.matches()) {
            return new PartFileName(Kind.LEGACY, Integer.parseInt(matcher.group(1)), 0, -1);
        }
        return null;
    }
}
