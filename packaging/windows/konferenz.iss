; Inno Setup script of the Windows installer (Inno Setup 6). Build on Windows after `pyinstaller packaging\konferenz.spec`:
;   iscc /DVersion=0.1.0 packaging\windows\konferenz.iss      ->  dist\Konferenz-Setup-0.1.0.exe
; Installs per user without admin rights into %LOCALAPPDATA%\Programs\Konferenz, with a Start-menu entry and an
; uninstaller. Silent rollout by the IT department:
;   Konferenz-Setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/DIR="..."] [/KONFIG=\\server\share\konferenz.ini]
; The database lives in the user's data folder (or where konferenz.ini says) and is never touched by the
; installer: an update keeps it (the program migrates it on the next start), uninstalling never deletes it.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6E3B8F0C-2D4A-4C59-9B7E-0F4A1C2B7D11}
AppName=Konferenz
AppVersion={#Version}
AppPublisher=Kreis Borken – Kommunales Integrationszentrum
DefaultDirName={localappdata}\Programs\Konferenz
DefaultGroupName=Konferenz
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
OutputDir=..\..\dist
OutputBaseFilename=Konferenz-Setup-{#Version}
SetupIconFile=..\..\resources\icons\konferenz.ico
UninstallDisplayIcon={app}\Konferenz-Fenster.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[Files]
Source: "..\..\dist\konferenz\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; a machine-wide configuration handed to the installer with /KONFIG=... (see README, "Für die IT")
Source: "{param:KONFIG}"; DestDir: "{app}"; DestName: "konferenz.ini"; Flags: external skipifsourcedoesntexist onlyifdoesntexist

[Icons]
Name: "{group}\Konferenz"; Filename: "{app}\Konferenz-Fenster.exe"
Name: "{userdesktop}\Konferenz"; Filename: "{app}\Konferenz-Fenster.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Symbol auf dem Desktop anlegen"; Flags: unchecked

[Run]
; the post-install test: opens the window on the configured database, prints one line and exits
Filename: "{app}\konferenz.exe"; Parameters: "--check"; Flags: runhidden skipifsilent; StatusMsg: "Installation wird geprüft …"
Filename: "{app}\Konferenz-Fenster.exe"; Description: "Konferenz starten"; Flags: postinstall nowait skipifsilent

[UninstallDelete]
; only what the installer wrote; the database and backups in the user's data folder stay
Type: filesandordirs; Name: "{app}\_internal"
