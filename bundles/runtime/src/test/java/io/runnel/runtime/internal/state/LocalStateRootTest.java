package io.runnel.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateRootTest {

    @TempDir
    Path base;

    @Test
    void theExecutorsOfOneProcessShareOnePartWhichGoesWithTheLastClaim() throws Exception {
        LocalStateRoot.Claim first = LocalStateRoot.claim(base);
        LocalStateRoot.Claim second = LocalStateRoot.claim(base);

        assertThat(second.directory()).isEqualTo(first.directory());
        assertThat(first.directory().getParent()).isEqualTo(base.toAbsolutePath().normalize());
        assertThat(LocalStateRoot.pidOf(first.directory().getFileName().toString())).isEqualTo(ProcessHandle.current().pid());
        first.close();
        first.close();
        assertThat(second.directory()).isDirectory();
        second.close();
        assertThat(second.directory()).doesNotExist();
    }

    @Test
    void whatADeadProcessLeftIsDeletedAndEverythingElseStays() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path leftover = Files.createDirectories(base.resolve("proc-" + gone.pid() + "-abc").resolve("rocksdb-window-0"));
        Files.writeString(leftover.resolve("000012.sst"), "data");
        Files.writeString(leftover.getParent().resolve(LocalStateRoot.OWNER), "");
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            Path alive = Files.createDirectories(base.resolve("proc-" + running.pid() + "-def").resolve("rocksdb-count-1"));
            Path otherLayout = Files.createDirectories(base.resolve("window-0-12345"));

            try (LocalStateRoot.Claim claim = LocalStateRoot.claim(base)) {
                assertThat(leftover.getParent()).doesNotExist();
                assertThat(alive).isDirectory();
                assertThat(otherLayout).isDirectory();
                assertThat(claim.directory()).isDirectory();
            }
        } finally {
            running.destroyForcibly();
            running.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPartStillHoldingStateIsKeptForTheNextStartToClean() throws Exception {
        LocalStateRoot.Claim claim = LocalStateRoot.claim(base);
        Path working = Files.createDirectories(claim.directory().resolve("rocksdb-window-0"));

        claim.close();

        assertThat(working).isDirectory();
        assertThat(LocalStateRoot.pidOf("proc-12-x")).isEqualTo(12L);
        assertThat(LocalStateRoot.pidOf("window-0")).isNull();
        assertThat(LocalStateRoot.pidOf("proc-x-1")).isNull();
    }
}
