// Generates the shipped demo avatars in public/avatars (no network, deterministic).
import { mkdirSync, writeFileSync } from "node:fs";

const palettes = [
  ["#6d28d9", "#c4b5fd"],
  ["#0f766e", "#99f6e4"],
  ["#b45309", "#fde68a"],
  ["#be123c", "#fecdd3"],
  ["#1d4ed8", "#bfdbfe"],
  ["#15803d", "#bbf7d0"],
  ["#7c2d12", "#fed7aa"],
  ["#4338ca", "#c7d2fe"],
  ["#a21caf", "#f5d0fe"],
  ["#0369a1", "#bae6fd"],
];
const skin = ["#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac", "#f5cba7"];
const hair = ["#2c1b10", "#4a3728", "#1f1f1f", "#a0522d", "#d4a373", "#6b4423"];
mkdirSync("public/avatars", { recursive: true });
for (let i = 0; i < 20; i++) {
  const [bg, accent] = palettes[i % palettes.length];
  const s = skin[(i * 7) % skin.length];
  const h = hair[(i * 5) % hair.length];
  const longHair = i % 2 === 0;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" role="img" aria-hidden="true">
<rect width="128" height="128" fill="${bg}"/>
<circle cx="${20 + ((i * 37) % 90)}" cy="${18 + ((i * 53) % 40)}" r="${10 + (i % 4) * 4}" fill="${accent}" opacity="0.35"/>
${longHair ? `<path d="M30 70 Q28 30 64 28 Q100 30 98 70 L98 104 L30 104 Z" fill="${h}"/>` : ""}
<path d="M22 128 Q24 92 64 90 Q104 92 106 128 Z" fill="${accent}"/>
<rect x="55" y="76" width="18" height="18" rx="6" fill="${s}"/>
<circle cx="64" cy="58" r="24" fill="${s}"/>
<path d="M40 54 Q42 30 64 31 Q88 30 88 54 Q80 42 64 42 Q48 42 40 54 Z" fill="${h}"/>
<circle cx="55" cy="60" r="2.6" fill="#1f2937"/><circle cx="73" cy="60" r="2.6" fill="#1f2937"/>
<path d="M56 70 Q64 ${i % 3 === 0 ? 77 : 74} 72 70" stroke="#7f1d1d" stroke-width="2.4" fill="none" stroke-linecap="round"/>
</svg>
`;
  writeFileSync(`public/avatars/advisor-${String(i + 1).padStart(2, "0")}.svg`, svg);
}
console.log("wrote 20 avatars");
