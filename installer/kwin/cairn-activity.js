// Cairn activity (KWin script, KDE Plasma 5.27 and 6): reports each window activation to Cairn's
// local agent, which loaded this script over D-Bus (org.kde.KWin /Scripting loadScript). Sends the
// window's application id (resourceClass: the Wayland app id, or the X11 class) and NO title; the
// agent loads cairn-activity-titles.js instead only under the activity-titles consent.
// Nothing is stored or sent anywhere else.
function report(w) {
    var app = w ? String(w.resourceClass || "") : "";
    callDBus("org.cairn.KWinFocus", "/org/cairn/KWinFocus", "org.cairn.KWinFocus1", "Activated", app, "");
}
if (workspace.windowActivated) {  // Plasma 6
    workspace.windowActivated.connect(report);
    report(workspace.activeWindow);
} else {  // Plasma 5
    workspace.clientActivated.connect(report);
    report(workspace.activeClient);
}
