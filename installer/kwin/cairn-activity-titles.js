// Cairn activity with window titles (KWin script): as cairn-activity.js, plus the window's title.
// The agent loads this variant only while the activity-titles consent is granted, and unloads it
// (loading cairn-activity.js) as soon as that consent is revoked.
function report(w) {
    var app = w ? String(w.resourceClass || "") : "";
    var title = w ? String(w.caption || "") : "";
    callDBus("org.cairn.KWinFocus", "/org/cairn/KWinFocus", "org.cairn.KWinFocus1", "Activated", app, title);
}
if (workspace.windowActivated) {  // Plasma 6
    workspace.windowActivated.connect(report);
    report(workspace.activeWindow);
} else {  // Plasma 5
    workspace.clientActivated.connect(report);
    report(workspace.activeClient);
}
