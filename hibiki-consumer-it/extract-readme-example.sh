#!/usr/bin/env bash
# Cuts the first ```java block under the README's "## Using the library" heading into a compilable class, with
# the two records the example names. Fails when the section or its block is missing, so a README without the
# example fails the build rather than checking nothing.
set -euo pipefail
readme=$1
out=$2
snippet=$(awk '
  /^## Using the library/ { section = 1; next }
  section && /^## / { exit }
  section && /^```java/ { inside = 1; next }
  inside && /^```/ { exit }
  inside { print }
' "$readme")
if [ -z "$snippet" ]; then
  echo "no \`\`\`java block under \"## Using the library\" in $readme" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
{
  echo "package example;"
  echo
  echo "import io.hibiki.socketio.SocketIoServer;"
  echo "import java.util.Map;"
  echo
  echo "/** The README's \"Using the library\" example, cut from README.md by the build. */"
  echo "public final class ReadmeExample {"
  echo
  echo "    record RoomMessage(String room, String message) { }"
  echo
  echo "    record ChatMessage(String from, String message) { }"
  echo
  echo "    public static void main(String[] argv) {"
  printf '%s\n' "$snippet" | sed 's/^/        /'
  echo "    }"
  echo "}"
} > "$out"
