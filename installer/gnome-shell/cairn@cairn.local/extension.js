// Cairn activity (GNOME Shell 43/44): the one thing Cairn's agent cannot learn on GNOME Wayland by
// itself, which application has the focus. Owns org.cairn.Focus on the session bus:
//   Get(b with_title) -> (s app_id, s title)   the title is "" unless with_title (the agent asks
//                                               only under the activity-titles consent)
//   signal Changed(s app_id)                    when the focused application changes; never a
//                                               title (a signal is a broadcast any client can read)
// The app id is the window's Wayland app id (its WM_CLASS for X11 windows), as on other desktops.
// Nothing is stored, logged or sent anywhere.
/* exported init */
const { Gio, GLib } = imports.gi;

const IFACE = `<node>
  <interface name="org.cairn.Focus1">
    <method name="Get">
      <arg type="b" direction="in" name="with_title"/>
      <arg type="s" direction="out" name="app_id"/>
      <arg type="s" direction="out" name="title"/>
    </method>
    <signal name="Changed">
      <arg type="s" name="app_id"/>
    </signal>
  </interface>
</node>`;

class CairnFocus {
  enable() {
    this._last = null;
    this._impl = Gio.DBusExportedObject.wrapJSObject(IFACE, this);
    this._impl.export(Gio.DBus.session, '/org/cairn/Focus');
    this._owner = Gio.bus_own_name_on_connection(Gio.DBus.session, 'org.cairn.Focus',
      Gio.BusNameOwnerFlags.NONE, null, null);
    this._focusId = global.display.connect('notify::focus-window', () => this._changed());
  }

  disable() {
    global.display.disconnect(this._focusId);
    Gio.bus_unown_name(this._owner);
    this._impl.unexport();
    this._impl = null;
  }

  _appId() {
    const w = global.display.focus_window;
    return w ? (w.get_wm_class() || w.get_gtk_application_id() || '') : '';
  }

  Get(withTitle) {
    const w = global.display.focus_window;
    return [this._appId(), withTitle && w ? (w.get_title() || '') : ''];
  }

  _changed() {
    const id = this._appId();
    if (id === this._last)
      return;
    this._last = id;
    this._impl.emit_signal('Changed', new GLib.Variant('(s)', [id]));
  }
}

function init() {
  return new CairnFocus();
}
