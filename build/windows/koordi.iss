; Koordi: Inno Setup 6 (>= 6.3) script for a per-user install, no administrator rights needed.
;
;   python build\dev.py bundle
;   iscc /DAppVersion=0.1.0 build\windows\koordi.iss      -> dist\installer\Koordi-0.1.0-setup.exe
;
; Installs dist\Koordi\ (the PyInstaller onedir bundle) to %LOCALAPPDATA%\Programs\Koordi,
; adds a Start-menu shortcut and an uninstaller, and writes only to HKCU (the uninstall
; entry Inno Setup itself makes).
; Saved as UTF-8 with a BOM: Inno Setup needs the BOM to read the Finnish texts right. The user's data (%LOCALAPPDATA%\Koordi) is not in the
; install folder, so neither an upgrade nor the uninstaller touches it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Koordi"
#define AppExe "Koordi.exe"
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#define BundleDir RepoRoot + "\dist\Koordi"

[Setup]
; Never change AppId: it is how an upgrade finds the earlier install.
AppId={{6A3C1E0B-2F4D-4B8E-9C57-0D1B7E4A9F21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Terapiat etulinjaan
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: works on a locked-down laptop without admin rights.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile={#RepoRoot}\assets\icons\koordi.ico
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename=Koordi-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; A running Koordi holds its files open: ask it to close (Restart Manager), reopen after.
CloseApplications=yes
RestartApplications=no
ChangesAssociations=no
ChangesEnvironment=no
ShowLanguageDialog=auto

[Languages]
Name: "fi"; MessagesFile: "compiler:Languages\Finnish.isl"
; Swedish is not among Inno Setup's official translations: to add it, put the
; unofficial Swedish.isl (jrsoftware.org/files/istrans/) beside this file and add
;   Name: "sv"; MessagesFile: "Swedish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
fi.LaunchKoordi=Käynnistä Koordi
en.LaunchKoordi=Start Koordi
fi.DesktopIcon=Pikakuvake työpöydälle
en.DesktopIcon=Desktop shortcut
fi.NoWebView2=Koordi tarvitsee Microsoft Edge WebView2 Runtimen, jota tästä koneesta ei löytynyt. Koordi avautuu silloin selaimeen. Pyydä IT-tukea asentamaan WebView2 Runtime.
en.NoWebView2=Koordi needs the Microsoft Edge WebView2 Runtime, which was not found on this computer. Koordi will open in the web browser instead. Ask IT support to install the WebView2 Runtime.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle whole: no module of an older version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; {userprograms}: the user's own Start menu (no All Users shortcut, which needs admin).
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchKoordi}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what Koordi may have left in its own folder; the data folder is never removed here.
Type: dirifempty; Name: "{app}"

[Code]
const
  WebView2Guid = '{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}';

function WebView2Version(Root: Integer; Key: String): String;
begin
  if not RegQueryStringValue(Root, Key, 'pv', Result) then
    Result := '';
end;

// Microsoft's documented check for the Evergreen WebView2 Runtime (read only).
function HasWebView2: Boolean;
var
  V: String;
begin
  V := WebView2Version(HKLM, 'SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\' + WebView2Guid);
  if (V = '') or (V = '0.0.0.0') then
    V := WebView2Version(HKLM, 'SOFTWARE\Microsoft\EdgeUpdate\Clients\' + WebView2Guid);
  if (V = '') or (V = '0.0.0.0') then
    V := WebView2Version(HKCU, 'Software\Microsoft\EdgeUpdate\Clients\' + WebView2Guid);
  Result := (V <> '') and (V <> '0.0.0.0');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and not HasWebView2 and not WizardSilent then
    MsgBox(CustomMessage('NoWebView2'), mbInformation, MB_OK);
end;
