/* SPDX-License-Identifier: ISC */
/* lib/notify.h - systemd's readiness protocol (sd_notify), without libsystemd. */

#ifndef VRS_LIB_NOTIFY_H
#define VRS_LIB_NOTIFY_H

#include <stdbool.h>

/*
 * Send state ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...",
 * lines joined by '\n') to the datagram socket $NOTIFY_SOCKET names
 * (a path, or "@name" in the abstract namespace), as a Type=notify
 * service's manager expects.  Without $NOTIFY_SOCKET nothing is sent
 * and true is returned; false when the message could not be sent.
 */
bool notify_send(const char *state);

#endif
