package io.runnel.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundles of a Runnel node, taken from the executable node jar itself ({@code launcher/target/runnel.jar}),
 * so a suite boots exactly what ships: same bundles, same versions, same start levels.
 */
public final class NodeBundles {

    /** One bundle: its extracted file and the start level the launcher gives it (0 = default). */
    public record Entry(Path file, String symbolicName, int startLevel) {
        public String url() {
            return file.toUri().toString();
        }
    }

    private static final Pattern ATTRS = Pattern.compile("([^;,]+);version=\"[^\"]*\"(?:;startlevel=(\\d+))?");

    private NodeBundles() {}

    /** Extracts the node jar's bundles into {@code directory}, in the launcher's install order. */
    public static List<Entry> extract(Path launcherJar, Path directory) throws IOException {
        if (!Files.isRegularFile(launcherJar)) {
            throw new IllegalStateException("The node jar " + launcherJar + " does not exist: build it with 'mvn package' "
                    + "(or ./runnel build) before running the integration tests");
        }
        Files.createDirectories(directory);
        List<Entry> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(launcherJar.toFile())) {
            Properties launch = new Properties();
            try (InputStream in = jar.getInputStream(jar.getEntry("launcher.properties"))) {
                launch.load(in);
            }
            String[] paths = launch.getProperty("launch.bundles").split(",");
            List<String[]> attributes = new ArrayList<>();
            Matcher matcher = ATTRS.matcher(launch.getProperty("launch.runbundles.attrs", ""));
            while (matcher.find()) {
                attributes.add(new String[] {matcher.group(1).trim(), matcher.group(2)});
            }
            Map<String, Integer> used = new HashMap<>();
            for (int i = 0; i < paths.length; i++) {
                String path = paths[i].trim();
                Path target = directory.resolve(Path.of(path).getFileName().toString());
                try (InputStream in = jar.getInputStream(jar.getEntry(path))) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                String[] attrs = i < attributes.size() ? attributes.get(i) : new String[] {path, null};
                used.merge(attrs[0], 1, Integer::sum);
                entries.add(new Entry(target, attrs[0], attrs[1] == null ? 0 : Integer.parseInt(attrs[1])));
            }
        }
        return entries;
    }
}
