// The built-in activity rules, kept as the text of the rules file itself so that the defaults the
// daemon runs and the file the employee edits can never drift apart.
#include "cairn/activity_rules/rules.hpp"

namespace cairn::activity_rules {

namespace {

// Order matters (first match wins): browser "app" windows carry the site as their WM_CLASS
// instance (e.g. Chrome --app=https://claude.ai gives instance "claude.ai", class "Google-chrome"),
// so the site rules come before the browsers that would otherwise claim them.
constexpr const char* kDefaultRules = R"(# Cairn activity rules: which application counts as which kind of work.
#
# Each rule is one line:   pattern = category
#
#   pattern   a name pattern matched against the window's WM_CLASS instance and class names
#             on X11 (see them with `xprop WM_CLASS`) or its app id on Wayland (sway:
#             `swaymsg -t get_tree`; GNOME: Looking Glass), ignoring upper/lower case. Many
#             applications have two names (X11 "Code", Wayland "code"; "konsole" and
#             "org.kde.konsole"): the rules below list both.
#             * matches any run of characters, ? matches exactly one.
#   category  one of: development, communication, meetings, documents, ai-assistant,
#             browsing, other
#
# Rules are tried from top to bottom and the first one that matches wins; an application no rule
# matches counts as "other". Lines starting with # are comments. Edit freely: Cairn reloads this
# file and refuses (keeping the previous rules) a file with a mistake, naming the line.
# Only the category and the class name are recorded, never what the window shows.

# --- AI assistants (desktop clients and browser app windows) ---
chatgpt* = ai-assistant
chat.openai.com = ai-assistant
claude* = ai-assistant
copilot* = ai-assistant
gemini.google.com = ai-assistant
perplexity* = ai-assistant
lm studio = ai-assistant
lm-studio = ai-assistant
jan = ai-assistant

# --- meetings ---
zoom* = meetings
teams* = meetings
microsoft teams* = meetings
teams.microsoft.com = meetings
jitsi* = meetings
meet.jit.si = meetings
meet.google.com = meetings
*webex* = meetings
bluejeans* = meetings
gotomeeting* = meetings
skype* = meetings
us.zoom.zoom = meetings
com.microsoft.teams = meetings

# --- communication ---
slack* = communication
app.slack.com = communication
discord* = communication
thunderbird* = communication
evolution* = communication
signal* = communication
telegram* = communication
element* = communication
mattermost* = communication
rocket.chat = communication
zulip* = communication
whatsapp* = communication
geary = communication
org.gnome.geary = communication
mailspring = communication
kmail* = communication
claws-mail = communication
hexchat = communication
pidgin = communication
mail.google.com = communication
outlook.office.com = communication
com.slack.slack = communication
com.discordapp.discord = communication
org.mozilla.thunderbird = communication
org.gnome.evolution = communication
org.signal.signal = communication
org.telegram.desktop = communication
im.riot.riot = communication
org.kde.kmail* = communication

# --- development: editors, IDEs and terminals (vim and friends run inside one) ---
code = development
code-oss = development
code - oss = development
vscodium = development
com.visualstudio.code = development
com.vscodium.codium = development
codium = development
cursor = development
jetbrains-* = development
android-studio = development
emacs* = development
gvim = development
vim = development
nvim* = development
neovide = development
sublime_text = development
sublime_merge = development
zed* = development
dev.zed.zed = development
geany = development
kate = development
org.kde.kate = development
kdevelop = development
org.kde.kdevelop = development
qtcreator = development
gnome-builder = development
org.gnome.builder = development
eclipse = development
netbeans* = development
gitk = development
git-cola = development
meld = development
dbeaver* = development
postman = development
gnome-terminal* = development
org.gnome.terminal = development
org.gnome.console = development
kgx = development
konsole = development
org.kde.konsole = development
org.kde.yakuake = development
xterm = development
uxterm = development
urxvt* = development
rxvt* = development
alacritty = development
kitty = development
terminator = development
tilix = development
com.gexperts.tilix = development
xfce4-terminal = development
wezterm* = development
org.wezfurlong.wezterm = development
st-256color = development
foot* = development
com.mitchellh.ghostty = development
org.gnome.ptyxis = development
lxterminal = development
mate-terminal = development
qterminal = development
terminology = development
sakura = development
guake = development
yakuake = development

# --- documents: office suites, readers, notes ---
libreoffice* = documents
soffice = documents
evince = documents
org.gnome.evince = documents
okular = documents
org.kde.okular = documents
atril = documents
xreader = documents
zathura = documents
org.pwmt.zathura = documents
mupdf = documents
qpdfview = documents
papers = documents
org.gnome.papers = documents
org.gnome.texteditor = documents
org.kde.kwrite = documents
onlyoffice* = documents
desktopeditors = documents
wps = documents
abiword = documents
gnumeric = documents
calligra* = documents
xournalpp = documents
com.github.xournalpp.xournalpp = documents
obsidian = documents
logseq = documents
joplin = documents
typora = documents
ghostwriter = documents
zim = documents
docs.google.com = documents

# --- browsing (after the site rules above) ---
firefox* = browsing
org.mozilla.firefox = browsing
navigator = browsing
librewolf = browsing
waterfox* = browsing
chromium* = browsing
org.chromium.chromium = browsing
com.google.chrome = browsing
com.brave.browser = browsing
google-chrome* = browsing
brave-browser* = browsing
vivaldi* = browsing
opera = browsing
microsoft-edge* = browsing
epiphany = browsing
org.gnome.epiphany = browsing
falkon = browsing
org.kde.falkon = browsing
qutebrowser = browsing
midori = browsing
tor browser = browsing

# --- file managers and the desktop itself count as other; named so the list is complete ---
org.gnome.nautilus = other
nautilus = other
org.kde.dolphin = other
dolphin = other
thunar = other
)";

}  // namespace

const std::string& default_rules_text() {
  static const std::string text = kDefaultRules;
  return text;
}

}  // namespace cairn::activity_rules
