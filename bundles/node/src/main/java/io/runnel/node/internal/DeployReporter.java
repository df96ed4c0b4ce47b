package io.runnel.node.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Says on the console what happens to bundles in the deploy directory: deployed, updated, removed,
 * and, for a bundle that does not start, why: the requirements no installed bundle satisfies, or the
 * error its activator threw. The bundle stays installed; it starts by itself once what it needs is
 * deployed. (Felix FileInstall does the installing; its own log is switched off in favour of this.)
 */
@Component(immediate = true, service = {})
public final class DeployReporter implements BundleListener {

    private static final long CHECK_DELAY_MILLIS = 3000;

    private final BundleContext context;
    private final Path deployDir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "runnel-deploy-reporter");
        thread.setDaemon(true);
        return thread;
    });
    /** What was last said about each bundle, so a problem is reported once, not on every check. */
    private final Map<Long, String> reported = new ConcurrentHashMap<>();

    @Activate
    public DeployReporter(BundleContext context) {
        this.context = context;
        String dir = context.getProperty("felix.fileinstall.dir");
        this.deployDir = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
        if (deployDir != null) {
            context.addBundleListener(this);
            // FileInstall may have installed jars already there before this component came up.
            for (Bundle bundle : context.getBundles()) {
                if (deployedFile(bundle.getLocation(), deployDir) != null) {
                    checkLater(bundle);
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        timer.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (deployDir == null || deployedFile(bundle.getLocation(), deployDir) == null) {
            return;
        }
        switch (event.getType()) {
            case BundleEvent.INSTALLED -> {
                say("runnel: deploy: installed " + describe(bundle));
                checkLater(bundle);
            }
            case BundleEvent.UPDATED -> {
                reported.remove(bundle.getBundleId());
                say("runnel: deploy: updated " + describe(bundle));
                checkLater(bundle);
            }
            case BundleEvent.STARTED -> {
                reported.put(bundle.getBundleId(), "started");
                say("runnel: deploy: started " + describe(bundle));
            }
            case BundleEvent.UNINSTALLED -> {
                reported.remove(bundle.getBundleId());
                say("runnel: deploy: removed " + describe(bundle));
            }
            default -> { }
        }
    }

    private void checkLater(Bundle bundle) {
        timer.schedule(() -> check(bundle), CHECK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check(Bundle bundle) {
        if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.UNINSTALLED || isFragment(bundle)) {
            return;
        }
        String problem;
        List<String> missing = unsatisfiedRequirements(bundle);
        if (!missing.isEmpty()) {
            problem = "runnel: deploy: " + describe(bundle) + " cannot start: nothing installed provides\n    "
                    + String.join("\n    ", missing)
                    + "\n  Deploy a bundle that provides it; this one stays installed and starts once it can.";
        } else {
            problem = "runnel: deploy: " + describe(bundle) + " did not start: " + startError(bundle);
        }
        if (!problem.equals(reported.put(bundle.getBundleId(), problem))) {
            say(problem);
        }
    }

    /** Mandatory requirements of the bundle that no capability of any installed bundle matches. */
    private List<String> unsatisfiedRequirements(Bundle bundle) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String resolution = requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            String namespace = requirement.getNamespace();
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || namespace.equals(PackageNamespace.PACKAGE_NAMESPACE)
                    && "*".equals(requirement.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                continue;
            }
            String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (filter != null && !satisfiedByAnyBundle(namespace, filter, bundle)) {
                missing.add(namespace + " " + filter);
            }
        }
        return missing;
    }

    private boolean satisfiedByAnyBundle(String namespace, String filterText, Bundle requirer) {
        try {
            var filter = FrameworkUtil.createFilter(filterText);
            for (Bundle other : context.getBundles()) {
                BundleRevision revision = other.adapt(BundleRevision.class);
                if (other == requirer || revision == null || other.getState() == Bundle.UNINSTALLED) {
                    continue;
                }
                for (BundleCapability capability : revision.getDeclaredCapabilities(namespace)) {
                    if (filter.matches(capability.getAttributes())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (InvalidSyntaxException e) {
            return true; // the framework itself rejects such a bundle at install time
        }
    }

    /** Tries a transient start to learn why the bundle does not run (its activator's exception, usually). */
    private static String startError(Bundle bundle) {
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return "it was not started; it is running now";
        } catch (BundleException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return e.getMessage() + (cause != e ? " Cause: " + cause : "");
        }
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private String describe(Bundle bundle) {
        Path file = deployedFile(bundle.getLocation(), deployDir);
        return (file == null ? bundle.getLocation() : "deploy/" + file) + " (" + bundle.getSymbolicName() + " "
                + bundle.getVersion() + ")";
    }

    /**
     * The path of a bundle's file relative to the deploy directory, or null if it was not installed
     * from there. Locations are {@code file:} URLs, written {@code file:/x} or {@code file:///x}.
     */
    static Path deployedFile(String location, Path deployDir) {
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return file.startsWith(deployDir) ? deployDir.relativize(file) : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
