; Inno Setup 6.3+ script for the SquadDesk Windows installer.
;
; Built by `python packaging\build.py --installer` on Windows, which passes the version and paths:
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=dist\squaddesk /DOutputDir=dist
;            /DIconFile=build\pyinstaller\icons\squaddesk.ico packaging\windows\squaddesk.iss
; (saved as UTF-8 with a byte-order mark so that older Inno Setup 6 releases read the Chinese too)
;
; Installs for the current user (no administrator rights, %LOCALAPPDATA%\Programs\SquadDesk) or,
; when chosen in the first dialog or with /ALLUSERS, for all users (%ProgramFiles%\SquadDesk).
; The user's data is NOT in the program folder: it lives in the per-user data directory
;   %LOCALAPPDATA%\SquadDesk\SquadDesk   (platformdirs.user_data_dir("SquadDesk", "SquadDesk"))
; (database, attachments, backups, logs, settings). Neither an upgrade nor the uninstaller touches
; it, so uninstalling and installing again, or installing a newer version, keeps every record.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (packaging\build.py does)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\squaddesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\pyinstaller\icons\squaddesk.ico"
#endif
; Simplified Chinese is one of Inno Setup's unofficial translations: used when it is installed
; (put ChineseSimplified.isl from jrsoftware.org/files/istrans/ into Inno Setup's Languages folder).
#define ChineseMessages AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
#define HaveChinese FileExists(ChineseMessages)

#define AppName "SquadDesk"
#define AppTitle "SquadDesk 招商小分队工作台"
#define AppExe "squaddesk.exe"

[Setup]
; The AppId ties upgrades and the uninstaller to this product: never change it.
AppId={{6C1E5B52-3D0F-4D7B-9A51-5E2F8C6A7D10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=SquadDesk
DefaultDirName={autopf}\SquadDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=squaddesk-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppTitle}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running SquadDesk is closed (it saves as it goes) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
#if HaveChinese
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english.DataKept=Your SquadDesk data was kept in %1%n(database, attachments and backups). Delete that folder yourself if you no longer need it.
#if HaveChinese
chinesesimplified.DataKept=SquadDesk 的数据仍保留在 %1%n（数据库、附件与备份）。如确实不再需要，可自行删除该文件夹。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's libraries as a whole, so nothing of the old version
; lingers beside the new one. (The user's data is elsewhere, see the top of this file.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "招商小分队工作台"
Name: "{autodesktop}\{#AppTitle}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself may have left in its own folder; never the data directory.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
  begin
    DataDir := ExpandConstant('{localappdata}\SquadDesk\SquadDesk');
    if DirExists(DataDir) then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
