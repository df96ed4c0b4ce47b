/**
 * Windows on keyed streams: an assigner puts each record into windows, a trigger decides when a
 * window's contents go to the window function, and allowed lateness says how long a window keeps
 * its contents after the watermark passed its end (records later than that go to a side output or
 * are dropped). Time windows cover {@code [start, end)}; a fired window's results carry the
 * timestamp {@code end - 1}.
 */
@Export
@Version("1.0.0")
package io.runnel.api.windowing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
