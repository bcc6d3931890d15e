// Small building blocks the views share: headings, muted explanation lines, "how is this
// computed" markers, number cards. Every text that may come from the record goes through
// TextUnformatted or a "%s" format, never as a format string.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>

#include "wrap.hpp"

namespace cairn::ui::w {

void title(const char* text);                  // the view's title
void heading(const char* text);                // a section heading
void muted(const std::string& text);           // a wrapped explanation line
void small_muted(const std::string& text);
void text(const std::string& text);            // untrusted-safe, wrapped
void help(const char* explanation);            // "(?)" on the same line with a tooltip
void tooltip(const std::string& text);         // when the last item is hovered
// A number with its name and a line saying how it is computed. Width in logical pixels.
void stat(const char* id, const char* name, const std::string& value, const std::string& how, float width);
bool primary_button(const char* label);        // the one accent-coloured action of a form
bool link_button(const char* label);           // looks like text, acts like a button
void message_line(const std::string& text, bool error);
// A multi-line text field whose lines wrap at its width (ImGui 1.86's own does not): the field
// edits text.shown(), and text.text() is what was written (wrap.hpp). In a paragraph field
// (WrappedText(true)) Enter adds a space, not a line. Returns true when edited.
bool wrapped_input(const char* id, WrappedText& text, float height);
// An export to a file the employee names: the path field, "Replace an existing file" and the
// button (disabled while the path is empty). Returns true when the button was pressed. key
// prefixes the tracked widgets: "<key>.path", "<key>.replace", "<key>.export".
bool export_form(const char* key, std::string& path, bool& replace, const char* button, const char* hint,
                 const std::function<void(const std::string&)>& track);
// A card: a soft panel behind whatever is drawn between begin_card() and end_card(), sized to
// its content. Cards do not nest.
void begin_card();
void end_card();

}  // namespace cairn::ui::w
