@echo off
rem Starts the Hibiki chat with the JVM settings in conf\jvm.options (chosen by measurement, BENCHMARKS.md);
rem JAVA_OPTS come after them and override them. The chat's settings: environment variables or --name=value flags.
setlocal EnableDelayedExpansion

set "HIBIKI_HOME=%~dp0.."
if defined JAVA_HOME (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA_EXE=java.exe"
)

set "OPTIONS="
for /f "usebackq eol=# tokens=* delims=" %%L in ("%HIBIKI_HOME%\conf\jvm.options") do (
  set "OPTIONS=!OPTIONS! %%L"
)

set "MAIN=io.hibiki.chat.ChatMain"
if defined HIBIKI_MAIN_CLASS set "MAIN=%HIBIKI_MAIN_CLASS%"
set "CP=%HIBIKI_HOME%\lib\*"
if defined HIBIKI_EXTRA_CLASSPATH set "CP=!CP!;%HIBIKI_EXTRA_CLASSPATH%"

"%JAVA_EXE%" !OPTIONS! %JAVA_OPTS% "-Dhibiki.launcher=%HIBIKI_HOME%\bin\hibiki-chat.cmd" -cp "!CP!" !MAIN! %*
exit /b %ERRORLEVEL%
