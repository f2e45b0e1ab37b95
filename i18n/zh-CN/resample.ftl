# 重采样类算子：interpolate、pixel_shuffle、depth_to_space、pixel_unshuffle、
# 双线性加性上采样、缩放卷积。
# 公式里“源”是读取的输入索引，“目标”是输出索引（英文为 src、dst）。

## interpolate

resample-interpolate = interpolate 插值（bilinear、bicubic、nearest、area）
    .summary = 逐通道缩放：每个输出单元格映射回输入中的一个源位置，再对那里的单元格做混合、复制或平均。
resample-interp-mode = 模式
    .help = bilinear 混合 4 个单元格，bicubic 混合 16 个（A = −0.75），两种 nearest 模式复制 1 个，area 对一个窗口取平均。
resample-mode-bilinear = bilinear
resample-mode-bicubic = bicubic
resample-mode-nearest = nearest
resample-mode-nearest-exact = nearest-exact
resample-mode-area = area
resample-align-corners = align_corners
    .help = 仅用于 bilinear 与 bicubic。true：输入与输出的角点单元格精确对齐；false：按单元格中心缩放（PyTorch 的默认值）。
resample-resize-by = 缩放方式
    .help = 给出缩放因子或输出大小。
resample-resize-by-scale = scale_factor
resample-resize-by-size = size
resample-scale-factor = 缩放因子
    .help = 输出大小为 ⌊输入大小 × scale_factor⌋。
resample-scale-0_5 = × 0.5
resample-scale-1_5 = × 1.5
resample-scale-2 = × 2
resample-scale-3 = × 3
resample-scale-4 = × 4
resample-out-height = 输出高度
    .help = 按 size 缩放时输出的行数。
resample-out-width = 输出宽度
    .help = 按 size 缩放时输出的列数。
resample-in-height = 输入高度
    .help = 输入的行数（H）。
resample-in-width = 输入宽度
    .help = 输入的列数（W）。
resample-channels = 通道数
resample-interp-channels-help = 通道数（C）；每个通道单独缩放。
resample-channels-c-help = 输入的通道数（C）。

resample-stage-nearest = 最近邻采样
    .explain = 每个输出单元格复制位于 ⌊目标 · 缩放比⌋ 的输入单元格（PyTorch 为兼容而保留的旧式 nearest）。
resample-stage-bilinear = 双线性采样
    .explain = 每个输出单元格映射到输入中的一个小数位置，混合它周围的四个单元格（在边界处角点重合，参与的单元格更少）。
resample-stage-bicubic = 双三次采样
    .explain = 每个输出单元格映射到一个小数位置，用三次权重（A = −0.75）混合它周围的 4×4 个单元格；越过边界的行和列重复边缘的值。
resample-stage-nearest-exact = 精确最近邻采样
    .explain = 每个输出单元格复制其中心所落入的输入单元格：⌊(目标 + ½) · 缩放比⌋。
resample-stage-area = 区域平均
    .explain = 每个输出单元格对其区域所覆盖的输入单元格取平均（自适应平均池化）。

# 每个轴一行：输出大小，以及输出索引读取的位置。
resample-formula-axis = { $size }；{ $map }
resample-map-same = 源 = 目标（大小相同）
resample-map-double = 源 = ⌊目标 / 2⌋（尺寸恰好翻倍）
resample-map-nearest = 源 = min(⌊目标 · { $scale }⌋, { $last })
resample-map-nearest-exact = 源 = min(⌊(目标 + ½) · { $scale }⌋, { $last })
resample-map-area = 窗口 = ⌊目标 · { $i }/{ $o }⌋ … ⌈(目标 + 1) · { $i }/{ $o }⌉ − 1
resample-map-align-corners = 源 = 目标 · ({ $i } − 1)/({ $o } − 1) = 目标 · { $scale }
resample-map-bilinear = 源 = max((目标 + ½) · { $scale } − ½, 0)
resample-map-bicubic = 源 = (目标 + ½) · { $scale } − ½；抽头 ⌊源⌋ − 1 … ⌊源⌋ + 2，限制在 0 … { $last } 之内
resample-weights-none = 权重：无（固定的重采样）
resample-weights-none-area = 权重：无（固定的重采样）；每个输出对一个窗口取平均

resample-shrinks-to-nothing = 这个缩放因子会把输入缩得一个单元格也不剩；页面显示的输出至少为 1×1
resample-output-too-big = 页面最多只能演示 { $max }×{ $max } 的输出
resample-align-corners-not-interpolating = align_corners 只能在插值模式（bilinear、bicubic）下设置；nearest 类模式与 area 没有可对齐的角点
resample-size-and-scale = size 与 scale_factor 只能指定其中一个
resample-size-or-scale = 必须指定 size 或 scale_factor 之一
resample-recompute-with-size = 给定明确的 size 时，recompute_scale_factor 没有意义
resample-scale-not-finite = scale_factor 必须是有限数
resample-output-too-large = { $rows }×{ $cols } 的输出太大
resample-output-empty = 输入与输出的大小都必须大于 0，但 { $in_rows }×{ $in_cols } 的输入会得到 { $out_rows }×{ $out_cols } 的输出

## pixel_shuffle、depth_to_space、pixel_unshuffle

resample-pixel-shuffle = pixel_shuffle 像素重排（深度到空间，CRD）
    .summary = 把 C·r² 个 H×W 的通道变成 C 个 rH×rW 的通道：每个 r×r 输出块从 r² 个通道中各取一个单元格。
resample-depth-to-space = depth_to_space（DCR 或 CRD）
    .summary = ONNX/TensorFlow 的深度到空间变换：与 pixel_shuffle 类似，但默认（DCR）把块内位置作为外层的通道索引。
resample-pixel-unshuffle = pixel_unshuffle 像素逆重排（空间到深度）
    .summary = pixel_shuffle 的逆运算：把一个通道的每个 r×r 块分散到 r² 个通道中。
resample-upscale-factor = 放大倍数
resample-block-size = 块大小
resample-downscale-factor = 缩小倍数
resample-block-side-help = 块的边长 r：每个输出块有 r×r 个单元格。
resample-in-channels = 输入通道数
    .help = 输入的通道数（C_in）。
resample-out-channels = 输出通道数
    .help = 输出的通道数（C_out）。
resample-shuffle-in-channels-help = 输入的通道数（C·r²）；必须能被 r² 整除。
resample-input-values = 输入取值
    .help = 输入各单元格的预设值。
resample-shuffle-input-values-help = 输入各单元格的预设值；选“通道编号”可以看出每个通道落在哪里。
resample-d2s-mode = 模式
    .help = 通道的排列方式：DCR 把块内位置放在最外层，CRD 则把输出通道放在最外层。
resample-d2s-mode-dcr = DCR（TensorFlow、ONNX 默认）
resample-d2s-mode-crd = CRD（= PyTorch pixel_shuffle）

resample-stage-depth-to-space = 深度到空间
    .explain = 每一步移动一个输入通道：它的单元格分散到每个 r×r 输出块中的同一位置。
resample-stage-space-to-depth = 空间到深度
    .explain = 每一步从每个 r×r 输入块的同一位置取值，填满一个输出通道。
resample-shuffle-input-holds = 输入通道 k 存放输出通道 { $channel } 中每个 r×r 块内位置 { $position } 处的单元格
resample-shuffle-output-holds = 输出通道 k 存放输入通道 { $channel } 中每个 r×r 块内位置 { $position } 处的单元格
resample-shuffle-moved = 权重：无；乘加：无；移动的单元格：{ $moved } 个（C = { $c }，r = { $r }）

resample-factor-at-least-one = { $factor } 至少为 1
resample-channels-indivisible-square = 输入的通道数 { $c } 必须能被 { $factor }² = { $r2 } 整除
resample-unshuffle-indivisible = 输入的{ $axis ->
    [height] 高度
   *[width] 宽度
} { $size } 必须能被 downscale_factor { $r } 整除

## 双线性加性上采样

resample-bilinear-additive = 双线性加性上采样
    .summary = Wojna 等人提出的无参数解码器上采样：先对每个通道做双线性 ×s 上采样，再把每 N 个相邻通道相加（C → C/N）。
resample-additive-scale-help = 双线性上采样的倍数 s（align_corners 取 false）。
resample-channel-group = 通道分组
    .help = N：每 N 个相邻的上采样通道相加为一个输出通道。
resample-additive-channels-help = 输入的通道数（C）；必须能被 N 整除。
resample-channels-indivisible-group = 输入的通道数 { $c } 必须能被 channel_group { $group } 整除
resample-additive-upsampled = u = x 的双线性 ×s 上采样
resample-stage-upsampling = 双线性上采样
    .explain = 每个通道各自用双线性插值上采样。
resample-stage-channel-sums = 通道求和
    .explain = 每个输出通道是 N 个相邻上采样通道之和。
resample-additive-formula = [1, C, H, W] = { $input } → 双线性 ×{ $scale } → { $upsampled } → 每 { $group } 个通道求和 → { $grouped }
resample-additive-weights = 权重：无
resample-additive-additions = 加法：{ $n } 次（从 { $c_in } 个通道到 { $c_out } 个通道、卷积核为 { $k }×{ $k } 的转置卷积会有 { $weights } 个权重）

## 缩放卷积

resample-resize-conv = 缩放卷积（先上采样，再卷积）
    .summary = 先用最近邻或双线性插值上采样，再做步长为 1 的卷积：每个输出单元格累加的乘积个数都相同，因此没有棋盘效应（Odena 等，2016）。
resample-resize-mode = 缩放模式
    .help = 复制（nearest）或混合（bilinear）。
resample-resize-scale-help = 上采样倍数 s。
resample-resize-align-help = 仅用于 bilinear：对齐角点。
resample-kernel-size = 卷积核大小
resample-resize-kernel-help = 步长为 1 的 k×k 卷积的 k。
resample-padding = 填充
resample-resize-padding-help = 上采样后输入四周补的零（p）；取 k/2 可保持大小不变。
resample-resize-upsampled = 上采样结果 u
resample-resize-samples = { $n } 次双线性采样（读取角点 { $corners } 次）
resample-resize-copies = { $n } 次复制
resample-resize-weights = 权重：{ $formula } = { $n }；缩放部分没有权重
resample-resize-work = 缩放：{ $reads }；卷积乘加：{ $products }
resample-resize-even = 窗口完全位于 u 内的每个输出单元格都累加 { $n } 个数据乘积（共 { $all } 个输出单元格，其中 { $inside } 个如此）：分布均匀，因此没有棋盘效应
resample-resize-uneven = u 内的输出单元格累加的数据乘积在 { $lo } 到 { $hi } 个之间：分布不均
resample-resize-all-padding = 每个窗口都伸进了填充区：没有只累加数据的输出单元格
