// Uploads go over HTTP, not the socket: a large file must not hold up messages, and XHR reports progress.
import { loadIdentity } from "./storage.js";

/** The identity the connection holds (a signed-in page keeps its upload token in memory only). */
let credentials = null;
export function useCredentials(identity) {
  credentials = identity;
}

/**
 * POSTs the file; resolves with {url, name, type, size}; onProgress gets a fraction 0..1. signal: an AbortSignal
 * that cancels the upload (the promise then rejects with an error named "AbortError").
 */
export function upload(file, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    if (signal) {
      signal.addEventListener("abort", () => {
        xhr.abort();
        reject(Object.assign(new Error("upload cancelled"), { name: "AbortError" }));
      });
    }
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
    // Only a chat identity may upload: the pair the server issued on connect.
    const { userId, userToken } = credentials || loadIdentity();
    xhr.setRequestHeader("X-Chat-User", userId);
    xhr.setRequestHeader("X-Chat-Token", userToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A proxy's HTML error page, say: the status below still tells what happened.
      }
      if (xhr.status === 201 && typeof body.url === "string") {
        resolve({ url: body.url, name: body.name, type: body.type, size: body.size });
      } else {
        reject(new Error(body.message || "upload failed (" + xhr.status + ")"));
      }
    };
    xhr.onerror = () => reject(new Error("upload failed: the connection broke"));
    xhr.send(file);
  });
}

export function formatBytes(n) {
  if (n >= 1024 * 1024) return (n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0) + " MB";
  if (n >= 1024) return Math.round(n / 1024) + " KB";
  return n + " bytes";
}
